"""The labelled triage corpus (训练集 / 测试集): see README.md; regenerate with
`python -m xiaoqu.triage.corpus.build`."""

"""Violation type / referral target classifier: TF-IDF over character n-grams and a linear
model, with the n-grams that decided each guess as its reason; and a keyword-rule baseline
kept for comparison in the benchmark."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from xiaoqu.law.seed_data import REFERRAL_TARGETS, VIOLATION_TYPES

# The catalog's codes, in the catalog's order (the labels the corpus and the model use).
VIOLATION_CODES: tuple[str, ...] = tuple(v.code for v in VIOLATION_TYPES)
REFERRAL_CODES: tuple[str, ...] = tuple(r.code for r in REFERRAL_TARGETS)
LABELS: tuple[str, ...] = VIOLATION_CODES + tuple(f"other:{c}" for c in REFERRAL_CODES)

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Full-width to half-width, digits folded to one symbol, spaces dropped."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE.sub("", _DIGITS.sub("0", text)).lower()


def split_label(label: str) -> tuple[str, str]:
    """("ebike_charging", "") or ("", "housing") from a label."""
    if label.startswith("other:"):
        return "", label[len("other:") :]
    return label, ""


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float
    reason: str

    @property
    def violation_type(self) -> str:
        return split_label(self.label)[0]

    @property
    def refer_to(self) -> str:
        return split_label(self.label)[1]


class Classifier:
    """Character 1–2-gram TF-IDF and a multinomial logistic regression, trained on the given
    texts and on the phrases of the lexicon (xiaoqu/triage/lexicon.py), each phrase a short
    text of weight `lexicon_weight`."""

    LEXICON_WEIGHT = 3.0
    # The regularised model spreads its probabilities over 22 labels; raised to this power
    # and renormalised they send about one complaint in eight to manual triage at 0.6.
    SHARPEN = 1.5

    def __init__(
        self, *, c: float = 5.0, ngram_max: int = 2, lexicon_weight: float = LEXICON_WEIGHT
    ) -> None:
        self.c = c
        self.ngram_max = ngram_max
        self.lexicon_weight = lexicon_weight
        self.vectorizer: Any = None
        self.model: Any = None
        self.labels: list[str] = []
        self.version = ""
        self._features: np.ndarray | None = None

    # -- training ---------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        weights: Sequence[float] | None = None,
    ) -> Classifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, self.ngram_max),
            sublinear_tf=True,
            min_df=1,
            dtype=np.float32,
        )
        from .lexicon import LEXICON

        texts = [normalize(t) for t in texts]
        labels = list(labels)
        weights = list(weights) if weights is not None else [1.0] * len(texts)
        if self.lexicon_weight > 0:
            for label, phrases in LEXICON.items():
                texts += [normalize(p) for p in phrases]
                labels += [label] * len(phrases)
                weights += [self.lexicon_weight] * len(phrases)
        x = self.vectorizer.fit_transform(texts)
        self.model = LogisticRegression(C=self.c, max_iter=3000)
        self.model.fit(x, labels, sample_weight=weights)
        self.labels = [str(c) for c in self.model.classes_]
        self._features = None
        return self

    # -- persistence ------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {
                "kind": "xiaoqu-triage-classifier",
                "c": self.c,
                "ngram_max": self.ngram_max,
                "lexicon_weight": self.lexicon_weight,
                "vectorizer": self.vectorizer,
                "model": self.model,
                "labels": self.labels,
                "version": self.version,
            },
            path,
        )

    @classmethod
    def load(cls, path: Path) -> Classifier:
        import joblib

        data = joblib.load(path)
        self = cls(
            c=data["c"],
            ngram_max=data["ngram_max"],
            lexicon_weight=data.get("lexicon_weight", 0.0),
        )
        self.vectorizer = data["vectorizer"]
        self.model = data["model"]
        self.labels = list(data["labels"])
        self.version = data.get("version", "")
        return self

    # -- prediction -------------------------------------------------------------------------
    @property
    def features(self) -> np.ndarray:
        if self._features is None:
            self._features = np.asarray(self.vectorizer.get_feature_names_out())
        return self._features

    def predict(self, texts: Sequence[str], *, reasons: bool = True) -> list[Guess]:
        if not texts:
            return []
        normalized = [normalize(t) for t in texts]
        x = self.vectorizer.transform(normalized).tocsr()
        proba = self.model.predict_proba(x) ** self.SHARPEN
        proba /= proba.sum(axis=1, keepdims=True)
        best = proba.argmax(axis=1)
        guesses = []
        coef = self.model.coef_
        for row, (k, text) in enumerate(zip(best, normalized, strict=True)):
            reason = ""
            if reasons:
                start, end = x.indptr[row], x.indptr[row + 1]
                idx = x.indices[start:end]
                contrib = x.data[start:end] * coef[k, idx]
                reason = self._reason(text, self.labels[k], idx, contrib)
            guesses.append(Guess(self.labels[k], float(proba[row, k]), reason))
        return guesses

    def _reason(self, text: str, label: str, idx: np.ndarray, contrib: np.ndarray) -> str:
        """The words that decided: the lexicon's phrases of the label found in the text, else
        the stretches of text made of the n-grams that pushed most toward the label, widened
        to whole words."""
        words = lexicon_words(text, label)
        if not words:
            words = self._ngram_words(text, idx, contrib)
        return "关键词：" + "、".join(words) if words else ""

    def _ngram_words(self, text: str, idx: np.ndarray, contrib: np.ndarray) -> list[str]:
        order = np.argsort(-contrib)[:10]
        spans: list[tuple[int, int, float]] = []
        for j in order:
            if contrib[j] <= 0:
                break
            gram = str(self.features[idx[j]])
            if len(gram) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in gram):
                continue
            pos = text.find(gram)
            if pos >= 0:
                spans.append((pos, pos + len(gram), float(contrib[j])))
        if not spans:
            return []
        merged: list[list[Any]] = []
        for s, e, w in sorted(spans):
            s, e = _widen(text, s, e)
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
                merged[-1][2] += w
            else:
                merged.append([s, e, w])
        merged.sort(key=lambda m: -m[2])
        words: list[str] = []
        for s, e, _w in merged[:3]:
            word = text[s:e]
            if 2 <= len(word) <= 8 and word not in words:
                words.append(word)
        return words


_LEXICON_NORMALIZED: dict[str, list[str]] = {}


def lexicon_words(text: str, label: str, limit: int = 3) -> list[str]:
    """The lexicon's phrases of `label` in the (normalized) text, longest first, none inside
    another, in the order they occur."""
    if not _LEXICON_NORMALIZED:
        from .lexicon import LEXICON

        for key, phrases in LEXICON.items():
            _LEXICON_NORMALIZED[key] = sorted({normalize(p) for p in phrases}, key=len)[::-1]
    found: list[tuple[int, str]] = []
    for phrase in _LEXICON_NORMALIZED.get(label, ()):
        pos = text.find(phrase)
        if pos >= 0 and not any(phrase in f for _, f in found):
            found.append((pos, phrase))
            if len(found) == limit:
                break
    return [p for _, p in sorted(found)]


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the words (jieba, dictionary only) it cuts."""
    import jieba

    jieba.setLogLevel(60)
    lo = max(0, start - 4)
    pos = lo
    new_start, new_end = start, end
    for word in jieba.cut(text[lo : end + 4], HMM=False):
        w_start, w_end = pos, pos + len(word)
        pos = w_end
        if w_start < start < w_end:
            new_start = w_start
        if w_start < end < w_end:
            new_end = w_end
    return new_start, new_end


# -- keyword-rule baseline ------------------------------------------------------------------
KEYWORDS: dict[str, tuple[str, ...]] = {
    "renovation_unregistered": ("装修", "装潢", "未登记", "未申报", "敲墙", "施工噪"),
    "use_change": ("改变使用", "住改商", "开店", "办公", "民宿", "改作", "作坊", "仓库"),
    "group_rental": ("群租", "隔断", "二房东", "上下铺", "住了很多人", "分租"),
    "structure_damage": ("承重墙", "承重", "拆墙", "主体结构", "砸墙", "梁柱", "开门洞"),
    "illegal_construction": ("违建", "搭建", "违章", "阳光房", "加层", "彩钢", "搭棚"),
    "common_area_occupation": ("堆物", "楼道", "占用", "公共部位", "杂物", "地锁"),
    "household_waste": ("垃圾分类", "乱扔", "生活垃圾", "混投", "垃圾桶", "厨余"),
    "construction_waste": ("建筑垃圾", "装修垃圾", "渣土", "建渣", "碎砖"),
    "greenery_damage": ("毁绿", "绿地", "草坪", "种菜", "砍树", "占绿"),
    "small_ads": ("小广告", "牛皮癣", "张贴", "散发", "喷涂", "广告"),
    "property_negligence": ("物业不管", "物业不作为", "物业未", "物业没人", "不制止"),
    "ebike_parking": ("电瓶车停", "电动车停", "停放", "门厅", "停在楼道"),
    "ebike_charging": ("充电", "飞线", "拉线", "电瓶", "私拉电线"),
    "other:housing": ("物业费", "业委会", "维修资金", "渗漏", "漏水", "物业服务"),
    "other:police": ("噪声", "吵架", "纠纷", "打架", "噪音", "扰民"),
    "other:fire": ("消防", "通道堵", "灭火器", "消防栓", "疏散"),
    "other:sports": ("信鸽", "鸽子", "养鸽"),
    "other:greening": ("修剪", "树枝", "病虫害", "树木", "挡光"),
    "other:planning": ("规划", "图纸", "产证", "不动产", "许可"),
    "other:justice": ("司法所", "法制审核", "法律援助", "调解"),
    "other:market": ("商铺", "电梯", "价格", "经营", "无照"),
    "other:environment": ("油烟", "夜间施工", "排污", "异味", "餐饮"),
}


class KeywordBaseline:
    """A hand-written keyword table: the label with most hits wins, ties to the first hit."""

    def __init__(self, table: dict[str, tuple[str, ...]] | None = None) -> None:
        self.table = table or KEYWORDS

    def predict(self, texts: Sequence[str]) -> list[Guess]:
        out = []
        for raw in texts:
            text = normalize(raw)
            best, best_hits, best_pos, words = "property_negligence", 0, 10**9, []
            for label, keywords in self.table.items():
                found = [k for k in keywords if k in text]
                if not found:
                    continue
                pos = min(text.find(k) for k in found)
                if len(found) > best_hits or (len(found) == best_hits and pos < best_pos):
                    best, best_hits, best_pos, words = label, len(found), pos, found
            confidence = min(1.0, 0.4 + 0.2 * best_hits) if best_hits else 0.0
            out.append(Guess(best, confidence, "关键词：" + "、".join(words) if words else ""))
        return out

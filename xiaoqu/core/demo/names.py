"""Word material for demo names: real Putuo road names per subdistrict, place stems, suffixes
of estate names, Chinese family and given names, and words for company names.

Road names are real roads of Putuo as generally known (not a surveyed gazetteer); a road
on a boundary is listed under each subdistrict it runs through. Estate, committee,
company and person names built from them are generated and fictitious."""

from __future__ import annotations

import random


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of `text`."""
    return tuple(text.split())


# Roads per subdistrict code.
ROADS: dict[str, tuple[str, ...]] = {
    code: words(roads)
    for code, roads in {
        "310107005000": "曹杨路 兰溪路 枫桥路 花溪路 杏山路 梅岭北路 梅岭南路 棠浦路 桂巷路 "
        "兰田路 北石路 梅川路 武宁路 中山北路",  # 曹杨新村街道
        "310107014000": "枣阳路 金沙江路 大渡河路 白玉路 云岭东路 光复西路 丹巴路 白兰路 "
        "泸定路 宁夏路 中山北路",  # 长风新村街道
        "310107015000": "长寿路 西康路 常德路 安远路 昌化路 江宁路 陕西北路 宜昌路 叶家宅路 "
        "莫干山路 澳门路 光复路 普雄路 武宁路",  # 长寿路街道
        "310107016000": "志丹路 延长西路 交通路 子长路 黄陵路 洛川东路 新沪路 西乡路 "
        "宜川路",  # 甘泉路街道
        "310107017000": "石泉路 中潭路 岚皋路 管弄路 东新路 中宁路 洵阳路 曹杨路 "
        "中山北路",  # 石泉路街道
        "310107020000": "宜川路 普善路 光新路 西乡路 陕西北路 中山北路 洛川东路 "
        "延长西路",  # 宜川路街道
        "310107021000": "铜川路 真光路 真北路 曹杨路 清峪路 兰溪路 大渡河路 真南路",  # 真如镇街道
        "310107022000": "新村路 大渡河路 真北路 富平路 武威东路",  # 万里街道
        "310107102000": "梅川路 金沙江路 真北路 怒江路 清涧路 云岭西路 同普路 祁连山南路 "
        "铜川路",  # 长征镇
        "310107103000": "武威路 武威东路 祁连山路 桃浦路 曹安公路 古浪路 敦煌路 怒江北路 "
        "景泰路 李子园路 真南路",  # 桃浦镇
    }.items()
}

# Place names that old workers' villages are numbered after (曹杨一村, 甘泉二村 …).
VILLAGE_STEMS: dict[str, tuple[str, ...]] = {
    "310107005000": ("曹杨",),
    "310107014000": ("长风",),
    "310107015000": (),
    "310107016000": ("甘泉",),
    "310107017000": ("石泉",),
    "310107020000": ("宜川",),
    "310107021000": ("真如", "真光"),
    "310107022000": ("万里",),
    "310107102000": ("长征",),
    "310107103000": ("桃浦",),
}

ORDINALS = "一二三四五六七八九"
EAST_WEST = ("东区", "西区")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
    "于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国红梅文斌波宇浩凯鹏飞琳晨晓燕雪慧"
    "玲丹萍亮志兰海峰春林佳颖婷欣怡俊杰德忠福荣宏振家庆"
)

COMPANY_WORDS = words(
    """
    安居 祥和 瑞丰 恒信 嘉城 申普 普安 润泽 明珠 绿洲 佳园 宏泰 锦程 华厦 永安 益民 兴普 沪西
    苏河 真诚 东泰 和谐 鑫盛 盛世 协力 宜居 欣苑 康乐 百合 鸿福 天和 诚信 美居 万顺 隆盛 宝隆
    兴旺 昌盛 泰和 怡景 丰泽 友邦 汇普 安泰 金杨 中润 长信 普惠 乐居 新普 锦华 同心 嘉禾 裕丰
    德润 恒安 惠民 福安 怡和 众诚 广厦 卓越 嘉信 兴业 仁和 春晖 景程 久安 立信 明宇 启航 荣泰
    尚居 顺安 同泰 熙和 祥瑞 信和 雅居 耀华 沁园 悦家 安平 博雅 长乐 达安 丰华 冠城 和顺 弘安
    佳和 锦绣 康居 朗润 茂华 宁和 普润
    """
)
COMPANY_FORMS = (
    ("上海{w}物业管理有限公司", 12),
    ("上海{w}物业服务有限公司", 5),
    ("上海普陀{w}物业管理有限公司", 3),
)


def road_stem(road: str) -> str:
    """The part of a road name that estates are named after: 梅川路 → 梅川, 曹安公路 → 曹安
    (but 新村路 stays whole: 新村路公寓, not 新村公寓)."""
    for suffix in ("公路", "路"):
        if road.endswith(suffix):
            stem = road[: -len(suffix)]
            return road if stem.endswith("村") else stem
    return road


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]

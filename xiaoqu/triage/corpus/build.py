"""Deterministic generator of the labelled triage corpus (train.jsonl, test.jsonl).

The corpus is fictitious: every text is composed by this module from hand-written phrase pools
(problems and impacts per label, lead-ins and demands per style), filled with places from the
demo plan (estate names, aliases, lane addresses) and with generated buildings, rooms, dates,
names and phone numbers. Nothing is downloaded; no database is needed.

The split is held out by phrasing: the problem and impact templates of every label are divided
into a train-only and a test-only pool (every third template goes to test), so no test text
uses a problem phrasing seen in training. The generic frames (lead-ins, demands, styles) and the
gazetteer are shared.

Run `python -m xiaoqu.triage.corpus.build` to rewrite both files byte-identically.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

SEED = 20260305
HERE = Path(__file__).resolve().parent
TRAIN_PER_LABEL = 240
TEST_PER_LABEL = 120
FIRST_DAY = dt.date(2025, 12, 1)
LAST_DAY = dt.date(2026, 11, 20)
TZ = dt.timezone(dt.timedelta(hours=8))

VIOLATIONS = (
    "renovation_unregistered",
    "use_change",
    "group_rental",
    "structure_damage",
    "illegal_construction",
    "common_area_occupation",
    "household_waste",
    "construction_waste",
    "greenery_damage",
    "small_ads",
    "property_negligence",
    "ebike_parking",
    "ebike_charging",
)
REFERRALS = (
    "housing",
    "police",
    "fire",
    "sports",
    "greening",
    "planning",
    "justice",
    "market",
    "environment",
)
LABELS = VIOLATIONS + tuple(f"other:{t}" for t in REFERRALS)
FIELDS = (
    "id",
    "text",
    "address",
    "channel",
    "received_at",
    "label",
    "violation_type",
    "refer_to",
    "estate",
    "subdistrict",
    "matter",
    "hard",
    "style",
)

# ---------------------------------------------------------------------------------------------
# Phrase pools. Slots: {b} a building (3号楼), {r} a flat (3号楼502室), {n} a small number,
# {d} a duration, {w} a time of day, {s} a road next to the estate. A leading "*" marks a
# template that shares its key words with another label (a "shared_keywords" hard case).
# Templates with {r} concern a flat, with {b} a building, with neither the whole estate: the
# spot of a matter. Every third template (index % 3 == 2) is test-only, the others train-only.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    problems: tuple[str, ...]
    impacts: tuple[str, ...]


POOLS: dict[str, Pool] = {
    "renovation_unregistered": Pool(
        problems=(
            "{r}在装修，门口没有贴装修公示，物业说他们没来办过装修登记",
            "{r}最近开工装修，既没有申报登记也没有签装修管理协议",
            "*{r}装修天天敲墙，问了物业才知道根本没有办装修登记",
            "{r}新搬来的业主直接叫了施工队进场，物业那边查不到任何装修备案",
            "{r}装修工人进进出出{d}了，物业没有收到装修申报，也不让物业进去看",
            "*{r}装修从{w}就开始电钻打洞，物业讲这户人家装修手续都没办",
            "{r}装修队进场前没到物业登记，装修内容谁也不知道",
            "{r}房东在翻新出租房，没有向物业申报装修，也没有交装修押金",
            "{r}装修没有登记，物业去问工人只说是老板叫干的",
            "{r}正在全面翻修，楼道里没有任何装修告示，物业无登记记录",
            "{r}业主找了马路游击队装修，没去物业办手续",
            "{r}装修一个多礼拜了，物业上门要求补办登记，业主一直拖着不来",
            "{r}装修未申报，施工人员拒绝出示装修许可",
            "*{r}装修声音大得不得了，而且听说没有到物业备案登记",
            "{r}开始拆旧装修，物业没有接到申报，施工内容不清楚",
            "{r}装修工程已经开工，既未告知物业也未在楼道张贴装修公告",
            "{r}装修期间物业多次通知其办理登记，至今未办",
            "{r}装修隐蔽进行，门窗都用报纸糊住，物业没有登记信息",
        ),
        impacts=(
            "担心他们乱拆乱改",
            "不知道他们到底在改什么",
            "楼上楼下都很担心",
            "物业说他们也没办法",
            "怕把房子结构搞坏",
            "整幢楼的人都有意见",
            "要求按规定补办装修登记",
            "希望城管上门查一查",
            "物业劝了也不听",
        ),
    ),
    "use_change": Pool(
        problems=(
            "{r}住宅被改成棋牌室，每天很多人来打麻将",
            "{r}住房改成仓库，天天有货车来装卸货",
            "{r}住宅被公司租去当办公室，人员进出频繁",
            "{r}被人开成了麻将馆，门口还挂了牌子",
            "{r}住宅改作培训机构，白天晚上都有小孩来上课",
            "{r}一楼住宅被改成小饭馆对外营业",
            "{r}住房被改成快递分拣点，走廊里全是包裹",
            "{r}改成了美容院，对外接待客人",
            "{r}住宅当作家庭作坊加工服装，缝纫机声音不停",
            "{r}被改为托管班，每天接送{n}个小孩",
            "{r}住宅被当成直播间和办公室用，天天有陌生人进出",
            "{r}房子改成了足浴店，晚上很晚还有人来",
            "{r}住宅改成私人诊所对外看病",
            "{r}改成茶室对外营业，晚上经常有人聚集",
            "{r}被一家公司当作员工仓库和办公点",
            "{r}住宅改成电商仓库，楼道里天天推货",
            "{r}把住宅开成了宠物店，给人洗猫洗狗",
            "{r}底楼住宅破墙开店卖水果",
        ),
        impacts=(
            "住宅怎么能做生意",
            "人员复杂，居民不放心",
            "影响邻居正常生活",
            "进出人员太多，安全没保障",
            "楼道被搞得乱七八糟",
            "物业劝过没有用",
            "要求恢复住宅用途",
            "请城管查处住改商",
            "晚上也不得安宁",
        ),
    ),
    "group_rental": Pool(
        problems=(
            "{r}被二房东隔成{n}间出租，住了十几个人",
            "{r}群租，客厅里也睡了人",
            "{r}一套两室户里住了{n}个人，床铺都是上下铺",
            "{r}厨房和阳台都被隔成房间出租",
            "{r}房东把房子打隔断分租，每间门上都装了锁",
            "{r}住了很多外来人员，一个房间住好几个人",
            "{r}二房东打了隔断出租，进出的都是陌生人",
            "{r}群租，每天早上卫生间门口排队",
            "{r}被分隔成好几个小间出租，门口装了密码锁",
            "{r}一套房子住了十几个年轻人，轮流上夜班",
            "{r}被改成了群租房，原来的客厅用木板隔开了",
            "{r}挂着短租的牌子，一个房间放了四张床",
            "{r}群租现象严重，楼道里堆满了他们的鞋子",
            "{r}的租客越来越多，目测住了{n}个人以上",
            "{r}用石膏板把房间隔开分别出租",
            "{r}是中介包租的群租房，人员流动大",
            "{r}里面全是上下铺，像宿舍一样",
            "{r}出租给多个人合住，人均面积很小",
        ),
        impacts=(
            "用电负荷大，容易出事",
            "楼道里经常有陌生人",
            "晚上进进出出很吵",
            "卫生条件很差",
            "担心消防安全",
            "居委会去过也没有用",
            "要求取缔群租",
            "请城管上门整治",
            "邻居们意见很大",
        ),
    ),
    "structure_damage": Pool(
        problems=(
            "{r}装修把承重墙拆掉了",
            "{r}在承重墙上砸了一个门洞",
            "{r}把两套房子之间的墙打通了",
            "{r}装修时拆除了阳台下面的配重墙",
            "{r}在楼板上开洞做楼梯",
            "{r}把卫生间地面往下挖，楼下天花板都裂了",
            "{r}装修砸墙，墙里的钢筋都露出来了",
            "{r}拆了厨房和客厅之间的承重墙",
            "{r}在剪力墙上开了一个大窗",
            "{r}施工队把房间里的承重柱凿掉了一部分",
            "{r}把窗下面的墙全部敲掉做落地窗",
            "{r}装修拆墙，楼下住户家里墙面出现裂缝",
            "{r}砸掉承重墙扩大客厅",
            "{r}把外墙开了个洞装空调管道和门",
            "{r}擅自拆改房屋主体结构",
            "{r}装修把圈梁凿断了",
            "{r}拆墙改格局，敲的是整幢楼的承重墙",
            "{r}楼板被钻穿，楼下漏灰",
        ),
        impacts=(
            "整幢楼的安全都成问题",
            "担心房子会塌",
            "楼下的墙已经开裂了",
            "这是老房子，经不起折腾",
            "邻居都吓坏了",
            "物业去制止也不理",
            "要求马上停工恢复",
            "请尽快派人来鉴定",
            "一家人晚上睡不着觉",
        ),
    ),
    "illegal_construction": Pool(
        problems=(
            "{r}在屋顶平台上搭了一间彩钢板房",
            "{r}在自家天井里搭建阳光房",
            "{r}把阳台往外扩建了一米多",
            "*{b}旁边有人在公共绿地上砌墙搭了个小屋",
            "{r}在露台上加盖了一层房子",
            "{r}在底楼院子里搭了铁皮棚",
            "{b}楼顶被人搭了违章建筑",
            "{r}在外墙上搭了一个钢架平台",
            "{r}把花园围起来盖了玻璃房",
            "{r}在楼顶搭建鸽棚一样的小房子住人",
            "{r}晚上偷偷施工，在天台搭违建",
            "{r}底楼住户在门口搭了个雨棚接出去当厨房",
            "{b}底楼住户把围墙推倒往外搭建",
            "{r}在顶楼加建了一间砖房",
            "{r}搭建的阳光房已经快完工了",
            "*{b}边上有人占了绿化带搭了个车棚",
            "{r}在阳台外面焊了一个铁架子扩建",
            "{r}在屋面上用砖头和彩钢板搭建房屋",
        ),
        impacts=(
            "挡住了我家的采光",
            "违章建筑要求拆除",
            "正在施工，请尽快来制止",
            "担心安全隐患",
            "其他人也会跟着学",
            "物业劝阻了没用",
            "要求依法拆除",
            "这种违建早就该管了",
            "对楼下住户影响很大",
        ),
    ),
    "common_area_occupation": Pool(
        problems=(
            "{b}楼道里堆满了旧家具和纸板箱",
            "{r}住户在公共走廊装了铁门，把走廊圈成自己家的",
            "*{b}楼梯间堆放杂物，影响消防安全",
            "{b}底楼公共部位被人圈起来放东西",
            "{r}在楼道里放了鞋柜和冰箱",
            "{b}地下室公共部位被个人占用堆货",
            "{b}楼顶平台被住户锁起来自己用",
            "{r}把楼道当成自己家储藏室",
            "*{b}楼道堆物很多，消防检查也说过",
            "{b}楼道里堆满废品，有人在收旧货",
            "{r}占用楼梯平台放花盆和柜子",
            "{b}自行车棚被人圈占放私人物品",
            "{r}在公共走道搭了隔断据为己有",
            "{b}一楼过道堆了好多泡沫箱",
            "{b}楼道里放着一张旧沙发好几个月了",
            "{r}住户把门口楼道圈起来装了防盗门",
            "{b}楼梯转角堆了很多瓶瓶罐罐",
            "{b}公共门厅被人摆了桌椅当自家客厅",
        ),
        impacts=(
            "走路都要侧身",
            "万一着火跑都跑不出去",
            "物业说了几次没有用",
            "公共部位不能私人占用",
            "老人上下楼很不方便",
            "夏天还有味道",
            "要求清理干净",
            "请城管责令恢复",
            "大家都有意见",
        ),
    ),
    "household_waste": Pool(
        problems=(
            "{b}门口有人乱扔生活垃圾",
            "小区垃圾厢房旁边垃圾堆成山，没人分类",
            "{r}住户每天把垃圾袋放在楼道里",
            "*小区里湿垃圾和干垃圾混在一起扔，垃圾桶都满出来了",
            "{b}后面有人长期倾倒生活垃圾",
            "有居民不按时间投放垃圾，直接丢在厢房外面",
            "{r}的人从窗口往下扔垃圾",
            "小区垃圾分类形同虚设，垃圾桶旁边都是散落的垃圾",
            "*{b}旁边垃圾桶满了没人清，生活垃圾堆在地上",
            "{r}住户把剩饭剩菜倒在楼道口",
            "小区垃圾投放点过了时间还有人乱丢",
            "{b}下面有人把垃圾扔在绿化带里",
            "{r}门口垃圾堆了{d}没有拿下去",
            "小区里生活垃圾混投混放严重",
            "垃圾厢房边上每天早上都是一堆乱丢的垃圾袋",
            "{b}单元门口总有人放垃圾袋",
            "小区垃圾箱房周围污水横流，垃圾不分类",
            "{r}的租客把外卖垃圾丢得到处都是",
        ),
        impacts=(
            "臭气熏天",
            "苍蝇老鼠都出来了",
            "影响小区环境卫生",
            "夏天根本不能开窗",
            "说了好几次还是这样",
            "小孩子路过都要捂鼻子",
            "要求加强管理",
            "请城管来处理乱扔垃圾",
            "垃圾分类没人监督",
        ),
    ),
    "construction_waste": Pool(
        problems=(
            "{b}门口堆了一大堆装修垃圾，{d}了没人运走",
            "{r}装修的建筑垃圾直接倒在小区草坪上",
            "*{b}楼道里堆满了装修垃圾袋，碎砖头都漏出来了",
            "有人晚上开车来小区偷倒建筑垃圾",
            "{r}装修垃圾没有袋装，直接堆在楼下路边",
            "小区装修垃圾堆放点满了还在往外堆",
            "{r}把拆下来的瓷砖和水泥块扔在垃圾厢房里",
            "*{b}边上的绿地被倒了很多建筑垃圾",
            "{r}装修的渣土堆在消防通道旁边",
            "{b}下面有一堆碎砖、石膏板等装修垃圾",
            "{r}装修工人把垃圾倒在小区河边",
            "小区门口被人倒了一车建筑渣土",
            "{r}的装修垃圾和生活垃圾混在一起扔",
            "{b}前面装修垃圾乱堆，灰尘很大",
            "{r}装修拆下来的旧门窗堆在楼下不处理",
            "有施工队把别处的建筑垃圾拉来小区倾倒",
            "{b}旁边装修垃圾堆了{n}袋还没清运",
            "{r}把装修垃圾从楼上直接往下倒",
        ),
        impacts=(
            "灰尘满天飞",
            "路都被堵住了",
            "下雨天到处是泥浆",
            "小孩子玩的时候很危险",
            "物业叫他们运走也不运",
            "不知道是谁倒的",
            "要求尽快清运",
            "请城管查一下是谁乱倒",
            "装修垃圾应该按规定处理",
        ),
    ),
    "greenery_damage": Pool(
        problems=(
            "{r}住户把楼前的树砍掉了",
            "{b}前面的公共绿地被人开垦种菜",
            "{b}旁边的绿化带被铺成水泥地用来停车",
            "*{r}底楼住户把公共绿地圈进自家院子",
            "有人把小区里的大树锯掉了",
            "{b}边上的草坪被挖掉种了葱和青菜",
            "{r}把窗前的树枝全部砍光",
            "{b}后面的绿地被铺了地砖",
            "*小区绿地被人毁了，草都挖掉了",
            "{r}在公共绿地上浇了水泥做晾衣场",
            "有居民在绿化带里种丝瓜搭架子",
            "{b}前面好几棵树被剥了树皮",
            "{r}住户把绿地铲平放了桌椅",
            "{b}门口的灌木被人拔掉了",
            "小区中心绿地被一户人家占了种菜",
            "{r}为了采光把楼下的香樟树砍了",
            "{b}边上的绿化被人用石板铺成小路",
            "小区绿化带被毁，改成了停车位",
        ),
        impacts=(
            "破坏小区绿化",
            "公共绿地是大家的",
            "树长了几十年就这么没了",
            "别的居民也开始学了",
            "物业说管不了",
            "土都翻出来了很脏",
            "要求恢复绿化",
            "请城管依法查处毁绿",
            "小区环境越来越差",
        ),
    ),
    "small_ads": Pool(
        problems=(
            "{b}楼道墙上贴满了开锁、通下水道的小广告",
            "小区电梯里每天都有人塞小广告",
            "{b}单元门上被人喷了办证电话",
            "小区门口有人发传单，到处乱贴",
            "{b}墙面上全是牛皮癣小广告",
            "有人在小区信箱里塞满了广告单",
            "{b}楼道里贴了很多贷款小广告",
            "小区围墙上被喷涂了大量电话号码",
            "{b}电表箱上贴满了小广告",
            "{b}每层楼的门上都被贴了疏通管道的广告",
            "小区里的电线杆和路灯杆上贴满了小广告",
            "有人骑车到小区一路贴小广告",
            "{b}楼梯扶手上都是贴纸广告",
            "小区宣传栏被小广告覆盖了",
            "{b}门口地上被人用油漆喷了电话号码",
            "小区门口的墙上被人写了收房的电话",
            "{b}楼道被贴了家政、搬家的广告",
            "小区里的垃圾箱房门上贴满了小卡片",
        ),
        impacts=(
            "刚撕掉又贴上了",
            "影响市容",
            "墙面脏得不得了",
            "物业清理不过来",
            "看着很不舒服",
            "老人容易上当",
            "要求清理并处罚张贴的人",
            "请查一下广告上的电话",
            "希望管一管",
        ),
    ),
    "property_negligence": Pool(
        problems=(
            "小区物业看到有人搭违建既不劝阻也不报告",
            "*物业明知道{r}是群租，从来不管也不上报",
            "物业对楼道堆物视而不见，也不向城管报告",
            "{r}在拆墙装修，物业知道了却不去制止",
            "物业对小区里飞线充电从来不劝阻",
            "*小区物业不作为，居民反映的违章搭建一直不处理不上报",
            "物业对装修垃圾乱倒不制止不报告",
            "物业保安看到有人毁绿也不上前劝阻",
            "{r}住改商已经很久了，物业一直没有报告",
            "物业对违法行为不劝阻、不报告，等于纵容",
            "物业收了好处，对{r}的违建睁一只眼闭一只眼",
            "小区里违法行为很多，物业既不劝阻也不向有关部门报告",
            "物业对居民的投诉不予理睬，违法装修也不报告",
            "物业发现{r}私拉电线没有劝阻，也没有上报",
            "物业对楼道停放电动车的情况不劝阻不报告",
            "物业经理说违建不归他们管，拒绝劝阻",
            "物业对占绿毁绿行为放任不管",
            "物业对小区违法搭建长期不闻不问，没有任何劝阻记录",
        ),
        impacts=(
            "物业应该履行劝阻报告义务",
            "居民多次找物业都没有用",
            "违法行为越来越多",
            "物业就是在拿钱不办事",
            "感觉物业和违法的人是一伙的",
            "小区乱象都是物业不管造成的",
            "要求查处物业不履职",
            "请对物业记分处理",
            "希望城管督促物业",
        ),
    ),
    "ebike_parking": Pool(
        problems=(
            "{b}楼道里停了{n}辆电动自行车",
            "{r}住户每天把电动车推进电梯带回家",
            "{b}门厅里电动自行车停得满满的",
            "*{b}一楼楼梯口停满了电瓶车，通道都堵住了",
            "有人把电动车停在{b}楼梯下面",
            "{r}的人坐电梯带电瓶车上楼",
            "{b}走廊里常年停着几辆电动车",
            "{b}地下室疏散通道里停了很多电动自行车",
            "*小区好几幢楼楼道里都停电动车，物业贴了告示也没用",
            "{r}门口楼道停放电动自行车",
            "外卖小哥把电动车停在{b}门厅里",
            "{r}把电瓶车停在自己家门口的过道里",
            "{b}每天晚上楼道里都停满电瓶车",
            "{r}住户把电动车推到楼上走廊里放",
            "{b}电梯里经常有人推电动车进去",
            "{b}安全出口被电动车挡住了",
            "{r}的电动车一直停在楼梯平台上",
            "{b}门洞里停放电动自行车，进出很挤",
        ),
        impacts=(
            "万一着火后果不堪设想",
            "电动车起火太可怕了",
            "通道都被挡住了",
            "新闻里天天报电动车着火",
            "物业劝了不听",
            "老人小孩进出很危险",
            "要求把车移走",
            "请城管来处理",
            "晚上回家都过不去",
        ),
    ),
    "ebike_charging": Pool(
        problems=(
            "{r}从窗口拉电线下来给电动车充电",
            "{b}楼道里有人私拉插座给电瓶车充电",
            "{r}把电瓶拿回家里充电，一充就是一晚上",
            "*{b}门口飞线充电，电线横在路上",
            "{r}住户从楼上吊下插线板给电动车充电",
            "有人在{b}楼道的电表箱上接线充电",
            "{r}每天晚上在家里给电动车电池充电",
            "{b}下面的电动车都是从楼上拉线充电的",
            "*{r}把电动车推进家里充电",
            "{b}楼梯间里插着充电器给电瓶充电",
            "{r}用很长的拖线板从阳台拉到楼下充电",
            "{b}旁边的树上挂着电线，有人在给电动车充电",
            "{r}电动车电池放在楼道里充电",
            "有人在{b}门厅里私接电源给电瓶车充电",
            "{r}住户飞线充电，电线从三楼挂下来",
            "{b}车棚里私拉乱接电线充电",
            "{r}家里长期给好几块电瓶充电",
            "{b}楼道插座被人用来给电动车充电过夜",
        ),
        impacts=(
            "很容易起火",
            "下雨天电线泡在水里太危险",
            "晚上走路会绊倒",
            "物业说过几次都不听",
            "整幢楼都担心",
            "充电一整夜没人看着",
            "要求拆除飞线",
            "请城管查处违规充电",
            "希望小区多装充电桩",
        ),
    ),
    "other:housing": Pool(
        problems=(
            "小区物业服务太差，保洁好几天才来一次",
            "物业费涨价没有经过业主大会",
            "{r}卫生间漏水到楼下，物业一直不来修",
            "小区业委会换届拖了一年多还没选",
            "{b}外墙渗水，物业说要动用维修资金，迟迟不办",
            "{b}想加装电梯，有一户不同意，需要协调",
            "物业不公开公共收益的账目",
            "{r}屋顶漏水{d}了，物业推来推去",
            "物业公司要撤场了，小区没人管",
            "{b}加装电梯的事情邻居意见不统一，希望有人出面协调",
            "业委会成员私自和物业续签合同",
            "小区维修资金使用不透明，业主要求查账",
            "物业保安经常不在岗，门禁坏了也不修",
            "{r}楼上渗水，找物业协调没有结果",
            "小区路灯坏了{d}，物业不修",
            "物业服务合同到期了，业委会不组织选聘",
            "{b}楼顶防水层坏了，下雨就渗水",
            "物业费收了服务却越来越差，绿化也不养护",
        ),
        impacts=(
            "住得很闹心",
            "业主意见很大",
            "找物业好几次都没用",
            "房管部门应该管一管",
            "要求物业整改",
            "居委会也协调不了",
            "希望房管局介入",
            "请相关部门督促物业",
            "业主的钱不能乱花",
        ),
    ),
    "other:police": Pool(
        problems=(
            "*{r}楼上每天半夜跺脚、拖椅子，噪音很大",
            "{r}养的狗整天叫，晚上也叫",
            "{r}两户邻居为了停车吵架还动了手",
            "*{r}住户深夜在家唱卡拉OK",
            "{r}的狗在小区里不拴绳，还咬了人",
            "{r}和楼下因为漏水打起来了",
            "*{r}楼上小孩每天晚上跑跳，声音很响",
            "小区里有人喝醉酒闹事",
            "{r}的人经常在家里吵架摔东西",
            "{r}养了好几条大狗，楼道里狗叫声不断",
            "{r}邻居在楼道里骂人，还威胁要打人",
            "有人在小区里打架，现场很乱",
            "*{r}每天凌晨打麻将，洗牌声吵得睡不着",
            "{r}住户开音响放歌到半夜",
            "{r}的狗随地大小便，说了还骂人",
            "{r}两家人因为楼道堆东西发生肢体冲突",
            "*{r}楼上晚上总是敲敲打打，不知道在干什么",
            "有人在{b}楼下大声喧哗到凌晨",
        ),
        impacts=(
            "严重影响生活",
            "老人心脏受不了",
            "上门沟通反而被骂",
            "怕出事情",
            "家里小孩被吓到了",
            "已经报过警了",
            "请派出所处理",
            "希望民警上门管一管",
            "已经持续很久了",
        ),
    ),
    "other:fire": Pool(
        problems=(
            "小区消防通道被私家车堵死了",
            "*{b}门口消防车通道上堆满了杂物",
            "{b}消火栓箱里的水带不见了",
            "{b}楼道里的灭火器都过期了",
            "小区消防通道被划成停车位",
            "{b}的烟感报警器坏了没人修",
            "*小区消防通道上停满了电动车和汽车",
            "{b}楼道应急灯全部不亮",
            "{b}的消防栓被人撞坏了在漏水",
            "小区消防车道被一个地桩锁挡住",
            "{b}的防火门被人拆掉了",
            "小区消防水泵房一直不能用",
            "{b}安全出口标志灯坏了",
            "小区唯一的消防通道被铁栅栏封住了",
            "{b}消防喷淋管道漏水",
            "{b}楼道里的消防报警按钮被人砸坏",
            "小区消防通道两边停车，消防车根本开不进来",
            "{b}的常闭防火门一直被人用东西顶开",
        ),
        impacts=(
            "一旦发生火灾后果严重",
            "消防设施形同虚设",
            "物业一直拖着不处理",
            "整个小区都有安全隐患",
            "要求尽快整改",
            "请消防部门来检查",
            "反映很多次了",
            "老小区更怕火灾",
            "消防安全没有保障",
        ),
    ),
    "other:sports": Pool(
        problems=(
            "{r}在屋顶养了很多信鸽，鸽子粪掉得到处都是",
            "小区健身器材坏了，扶手都断了",
            "{r}养的鸽子每天成群在小区上空飞",
            "小区里的乒乓球台被撞坏了没人修",
            "{b}楼顶的鸽棚里养了上百只鸽子",
            "小区健身苑的跑步机卡住了，老人差点摔倒",
            "{r}养信鸽，窗台上全是羽毛和鸽粪",
            "小区健身路径的器材生锈断裂",
            "{r}放飞鸽子的哨声吵得人头疼",
            "小区里的单杠松动了，很危险",
            "{r}阳台上搭着鸽笼，养鸽子影响邻居",
            "小区健身器材螺丝都掉了",
            "{b}旁边有人养赛鸽，天天放飞",
            "小区里的篮球架倒了一半",
            "{r}养的鸽子在邻居窗台上做窝",
            "小区健身点的漫步机踏板断了",
            "{b}屋顶信鸽棚的气味很重",
            "小区公共健身设施损坏{d}了没人修",
        ),
        impacts=(
            "影响居民生活",
            "请体育部门来处理",
            "物业说不是他们管的",
            "希望尽快解决",
            "已经说过很多次了",
            "居委会也没办法",
            "老人小孩都受影响",
            "拖了很久了",
            "希望有人来管",
        ),
    ),
    "other:greening": Pool(
        problems=(
            "{b}前面的大树长得太高，挡住了阳光，需要修剪",
            "小区里的树生了虫子，毛毛虫掉下来",
            "*{b}旁边绿地的树枝伸进了窗户，请修剪",
            "小区绿化很久没人养护，杂草长得老高",
            "{b}门口的树歪了，台风天可能会倒",
            "小区的香樟树叶子发黄，可能生病了",
            "*{b}边上的树太密，遮住了楼下的光线，希望修枝",
            "小区草坪枯死了一大片",
            "{b}前面的树根把路面都顶起来了",
            "小区里的树上有很多白蚁",
            "{b}窗前的树枝碰到电线了，要修剪",
            "小区绿化带里蚊子很多，希望打药",
            "{b}后面的树枯死了一半，怕砸到人",
            "小区绿化养护不到位，树木长得乱七八糟",
            "{b}旁边的梧桐树飞絮严重",
            "小区行道树需要修剪，挡住了路灯",
            "{b}楼下的树招来很多鸟，希望修剪一下",
            "小区的绿篱好几个月没修了",
        ),
        impacts=(
            "物业说要绿化部门批准",
            "影响居民正常生活",
            "请绿化部门来看看",
            "反映了好几次没人来",
            "居民都很担心",
            "希望尽快处理",
            "小区绿化需要专业养护",
            "台风季节更担心",
            "物业说他们处理不了",
        ),
    ),
    "other:planning": Pool(
        problems=(
            "小区旁边新造的楼挡住了我家的日照",
            "想查询{b}的原始建筑图纸",
            "{s}旁边在建的楼是否有规划许可",
            "新建的楼和我们楼的间距太近了",
            "小区里要造一幢新楼，居民想知道规划情况",
            "{b}加装电梯的规划审批进展到哪一步了",
            "隔壁地块造高楼，不知道有没有经过规划公示",
            "想查一下{r}的房屋设计图纸",
            "小区边上的建筑高度好像超过了规划",
            "新楼盖好后我家冬天晒不到太阳了",
            "小区附近建设项目的规划方案在哪里可以看",
            "咨询{b}能不能申请加层的规划许可",
            "对面新建的商场离小区太近，不符合间距要求",
            "{b}原来的规划图纸在哪里可以调阅",
            "小区改造方案没有公示，居民想看规划",
            "隔壁工地的建筑日照分析有问题",
            "想知道小区旁边那块空地规划用途",
            "{r}想办理阳台改建需要什么规划手续",
        ),
        impacts=(
            "居民要求公开规划",
            "居民想了解具体情况",
            "请规划部门答复",
            "希望给个说法",
            "不知道该去哪里问",
            "请告知办理流程",
            "希望给个准确答复",
            "居民很关心",
            "已经问过街道了",
        ),
    ),
    "other:justice": Pool(
        problems=(
            "{r}和楼上因为漏水赔偿谈不拢，想请人民调解",
            "和邻居因为房屋买卖有纠纷，需要法律援助",
            "{r}与隔壁为了公共走道归属闹矛盾，希望居委调解",
            "老人被子女赶出家门，想咨询法律",
            "{r}和楼下住户矛盾很深，需要调解",
            "租房合同纠纷，房东不退押金，想找法律援助",
            "邻居之间为了装修损坏赔偿问题协商不成，申请调解",
            "家里遗产分割有纠纷，想申请人民调解",
            "{r}和邻居因为空调外机位置产生纠纷，想调解",
            "被装修公司骗了，不知道怎么维权，想要法律咨询",
            "{r}和对门为了门口放东西的事长期不和，请调解",
            "和物业之间有纠纷，想找律师咨询",
            "邻里之间因为晾衣服滴水吵了很多次，希望有人调解",
            "劳动报酬被拖欠，想申请法律援助",
            "{r}与楼上就渗水维修费用有争议，需要第三方调解",
            "离婚后房子归属有争议，想咨询法律",
            "邻居砍了我家种的花，双方协商不下来，申请人民调解",
            "老人赡养问题，兄弟姐妹协商不成，请求调解",
        ),
        impacts=(
            "希望有人出面调解",
            "自己协商解决不了",
            "家里经济困难请不起律师",
            "不想闹到法院",
            "想了解法律上怎么规定",
            "请司法所帮忙",
            "希望人民调解委员会介入",
            "已经拖了很久",
            "双方都很有情绪",
        ),
    ),
    "other:market": Pool(
        problems=(
            "{s}上有家店没有营业执照在卖东西",
            "{b}的电梯经常困人，维保单位不来修",
            "小区门口的超市卖过期食品",
            "{s}沿街的店铺乱涨价",
            "小区门口有人无照摆摊卖水果",
            "{b}电梯年检合格证过期了",
            "小区附近的理发店办卡后关门跑路了",
            "{s}上的小饭店卫生很差，没有证照",
            "{b}的电梯运行时有异响，怀疑不安全",
            "小区旁边的药店卖药不开发票",
            "小区门口的菜场缺斤少两",
            "{b}电梯门关不上还在运行",
            "{s}上有家店卖假冒名牌",
            "小区周边的培训机构预付费退款难",
            "{b}电梯突然下坠，吓死人了",
            "{s}有商铺占道经营，价格也不明码标价",
            "小区里的快递柜收费不合理",
            "{b}的电梯维保记录造假",
        ),
        impacts=(
            "消费者权益受到侵害",
            "请市场监管部门查处",
            "希望尽快检查",
            "不能让这种情况继续下去",
            "已经打过消费者投诉电话",
            "居民意见很大",
            "老人容易吃亏",
            "跟商家交涉没有结果",
            "希望相关部门管一管",
        ),
    ),
    "other:environment": Pool(
        problems=(
            "{s}沿街的饭店油烟直接排到居民楼",
            "*小区旁边工地晚上十点以后还在施工，噪音很大",
            "{s}上的烧烤店油烟熏得窗户都不能开",
            "小区边上的工厂排放污水，河水发黑发臭",
            "*隔壁工地夜间打桩，吵得整晚睡不着",
            "{s}上的饭店排油烟管道正对着{b}",
            "附近的汽修店噪声很大，整天敲打",
            "小区旁的小作坊向雨水井倒污水",
            "*工地{w}还在浇混凝土，搅拌机声音太响",
            "{s}沿街餐馆没装油烟净化器",
            "小区附近有厂房排放刺鼻气味",
            "{s}上的洗车店污水直接排到路上",
            "*附近的道路施工半夜还在切割路面",
            "小区门口的火锅店油烟和噪声扰民",
            "{s}边上的工厂机器日夜轰鸣",
            "工地的渣土车夜里进出，轰隆隆很吵",
            "饭店的空调外机和油烟机对着居民窗户",
            "小区旁边河道有人偷排废水",
        ),
        impacts=(
            "严重影响周边居民生活",
            "已经持续好几个月了",
            "请环保部门查处",
            "白天晚上都这样",
            "跟商家说过没有用",
            "希望环保部门来监测",
            "家里有老人孩子受不了",
            "周边居民苦不堪言",
            "居民联名反映过",
        ),
    ),
}

# ---------------------------------------------------------------------------------------------
# Frames per style, shared by both splits. {p} is the place and problem, {i} an impact, {q} a
# demand; {name} a reporter, {tel} a masked phone number, {date} a day, {company} a company.
# ---------------------------------------------------------------------------------------------

OPERATOR_FRAMES = (
    "市民来电反映：{p}，{i}。要求{q}。",
    "来电人称，{p}，{i}，要求{q}。",
    "来电人{name}（{tel}）反映：{p}。{i}，要求{q}。",
    "市民反映{p}，{i}。诉求：{q}。",
    "诉求人来电称：{p}。来电人表示{i}，希望{q}。",
    "市民来电：{p}，{i}。市民要求{q}，并要求回复。",
    "来电反映{p}。{i}。来电人要求{q}。",
    "市民{name}来电反映，{p}，{i}，望{q}。",
    "【网上诉求】市民反映：{p}，{i}。要求{q}。",
    "来电人反映：{p}，已经{d}。{i}，要求{q}。",
)
OPERATOR_TAILS = (
    "来电人表示已向物业反映过多次。",
    "（来电人要求匿名）",
    "请核实。",
    "来电人不接受电话回访。",
    "来电人称情况紧急。",
    "此前同类问题曾有来电。",
)
OPERATOR_DEMANDS = (
    "相关部门处理",
    "尽快处理",
    "职能部门上门核实处理",
    "相关部门予以解决",
    "有关部门到现场查看",
    "处理并反馈结果",
    "相关部门依法处理",
    "尽快派人查看",
)
COLLOQUIAL_FRAMES = (
    "{p}，{i}，{q}",
    "你好，{p}，{i}！{q}",
    "我要投诉，{p}，{i}，{q}！",
    "{p}已经{d}了，{i}，{q}",
    "麻烦问一下，{p}，{i}，{q}？",
    "{p}！！{i}，{q}",
    "我是住在这里的居民，{p}，{i}。{q}",
    "{p} {i} {q}",
    "实在忍不下去了，{p}，{i}，{q}",
    "{p}，说了多少次了，{i}，{q}。",
)
COLLOQUIAL_DEMANDS = (
    "麻烦管管",
    "到底有没有人管",
    "希望你们来看看",
    "请快点来处理",
    "谢谢",
    "求求你们管一管",
    "能不能来处理一下",
    "拜托了",
    "再不管要出事情了",
    "你们快点来",
)
PROPERTY_FRAMES = (
    "{company}报告：{p}。我司于{date}发现后上门劝阻，并发放整改通知书，当事人至今未整改，{i}。现报请{q}。",
    "物业报告：{p}，{i}。我司已于{date}书面告知当事人，劝阻{n}次无效，特此报告，请{q}。",
    "{company}项目部：{date}巡查发现{p}。已当场劝阻，对方不予理睬。{i}，报请{q}。",
    "我司在管项目{p}，{i}。{date}我司工作人员上门劝阻并拍照留存，当事人拒不配合，请{q}。",
    "物业服务企业报告：{p}。{date}已告知并劝阻，{i}，请{q}。",
)
# A property company passing on what is not the bureau's (it dissuades nobody there).
PROPERTY_REFER_FRAMES = (
    "{company}报告：{p}，{i}。该事项不属我司处置范围，请{q}。",
    "物业服务企业反映：{p}。我司已于{date}向居委会报告，{i}，请{q}。",
    "我司在管项目{p}，{i}。已做好现场记录，请{q}。",
    "{company}项目部：{date}接居民反映，{p}，{i}，请{q}。",
)
PROPERTY_REFER_DEMANDS = (
    "相关部门处理",
    "社区工作室转交主管部门",
    "有关部门协调处理",
    "主管部门处理",
)
PROPERTY_DEMANDS = (
    "城管部门依法处理",
    "相关部门处理",
    "执法部门介入",
    "有关部门协调处理",
    "社区工作室核查处理",
)
PATROL_FRAMES = (
    "巡查发现{p}。已拍照取证，{q}。",
    "日常巡查：{p}，{i}。{q}。",
    "{date}巡查时发现{p}，{q}。",
    "巡查发现{p}，{q}。",
    "队员巡查至现场，{p}，现场{i}，{q}。",
)
PATROL_DEMANDS = (
    "待核查",
    "已告知物业跟进",
    "已登记，待处理",
    "拟转相关部门",
    "已通知物业劝阻",
    "列入复查",
)
STUDIO_FRAMES = (
    "工作室走访时居民反映：{p}，{i}。建议{q}。",
    "社区工作室记录：居委会转来线索，{p}，{i}，{q}。",
    "楼组长向工作室反映，{p}。{i}，请{q}。",
    "工作室接待日收到居民意见：{p}，{i}。拟{q}。",
    "工作室{officer}记录：{p}，{i}，{q}。",
)
STUDIO_DEMANDS = (
    "安排核查",
    "转相关部门处理",
    "下周上门核实",
    "会同物业现场查看",
    "列入下次会商",
    "登记后派单",
)
DURATIONS = ("好几天", "一个多礼拜", "半个多月", "一个多月", "两个多月", "半年多", "一年多")
TIMES = ("早上六点多", "早上七点不到", "中午", "晚上九点以后", "晚上十点多", "半夜")
EXTRA_CONTEXT = (
    "之前也反映过",
    "物业也知道这个情况",
    "居委会来看过",
    "楼里很多人都有意见",
    "拍了照片",
    "不是第一次了",
)
TWO_ISSUE_FRAMES = (
    # (frame, where the secondary goes): {main} the full text, {sec} the secondary problem.
    "{main}另外{sec}的问题之前已经反映过了，这次主要反映上面的事。",
    "{sec}的事情已经处理好了，现在{main}",
    "{main}（另反映{sec}，已另行派单。）",
    "除了{sec}以外，最主要的是：{main}",
    "{main}顺便说一下，{sec}，不过这个不急。",
)

# Register and typo substitutions of residents' own words.
REGISTER = (
    ("电动自行车", "电瓶车"),
    ("电动自行车", "电动车"),
    ("住户", "人家"),
    ("我们", "阿拉"),
    ("我家", "阿拉屋里"),
    ("非常", "交关"),
    ("很大", "老大的"),
    ("违章建筑", "违章"),
    ("违建", "违章"),
    ("楼道", "楼梯口"),
    ("没人", "呒没人"),
    ("不得了", "勿得了"),
    ("噪音", "噪声"),
)
TYPOS = (
    ("楼道", "楼到"),
    ("电瓶车", "电平车"),
    ("电瓶车", "电频车"),
    ("群租", "群组"),
    ("垃圾", "拉圾"),
    ("反映", "反应"),
    ("已经", "以经"),
    ("充电", "冲电"),
    ("物业", "物叶"),
    ("装修", "装俢"),
    ("违章", "违张"),
    ("噪音", "燥音"),
    ("绿化", "绿花"),
    ("小广告", "小广高"),
    ("堆放", "推放"),
    ("消防", "消访"),
    ("搭建", "塔建"),
    ("油烟", "油咽"),
    ("承重墙", "成重墙"),
    ("根本", "跟本"),
    ("麻将", "麻酱"),
    ("电动车", "电动乍"),
    ("隔断", "隔段"),
    ("鸽子", "鸽仔"),
)
# Estate names as people mistype them: same-sounding characters (pinyin input) and
# look-alike characters.
HOMOPHONES = {
    "曹": "槽草",
    "杨": "扬阳",
    "兰": "蓝栏",
    "溪": "西希",
    "梅": "煤眉",
    "川": "穿船",
    "真": "珍针",
    "如": "儒",
    "岭": "领",
    "枫": "风",
    "桥": "乔",
    "花": "华",
    "棠": "堂",
    "浦": "普",
    "桂": "贵",
    "巷": "象",
    "田": "天",
    "石": "时",
    "北": "贝",
    "武": "五",
    "宁": "凝",
    "中": "钟",
    "山": "衫",
    "长": "常",
    "风": "枫",
    "金": "今",
    "沙": "纱",
    "江": "姜",
    "光": "广",
    "复": "付",
    "西": "希",
    "丹": "单",
    "巴": "八",
    "白": "百",
    "玉": "育",
    "泸": "卢",
    "定": "丁",
    "寿": "受",
    "康": "糠",
    "常": "长",
    "德": "得",
    "安": "岸",
    "远": "源",
    "昌": "常",
    "化": "华",
    "陕": "闪",
    "宜": "仪",
    "叶": "业",
    "宅": "窄",
    "莫": "漠",
    "干": "甘",
    "澳": "奥",
    "普": "浦",
    "雄": "熊",
    "志": "智",
    "延": "言",
    "交": "娇",
    "通": "同",
    "子": "紫",
    "黄": "皇",
    "陵": "林",
    "洛": "落",
    "新": "心",
    "沪": "户",
    "乡": "香",
    "泉": "全",
    "潭": "谈",
    "岚": "兰",
    "皋": "高",
    "管": "馆",
    "东": "冬",
    "洵": "寻",
    "铜": "同",
    "清": "青",
    "峪": "玉",
    "渡": "度",
    "河": "和",
    "富": "福",
    "平": "萍",
    "威": "微",
    "怒": "努",
    "涧": "建",
    "云": "匀",
    "同": "铜",
    "祁": "齐",
    "连": "莲",
    "桃": "陶",
    "古": "谷",
    "浪": "狼",
    "敦": "墩",
    "煌": "皇",
    "景": "井",
    "泰": "太",
    "李": "里",
    "园": "圆",
    "村": "存",
    "苑": "院",
    "庭": "亭",
    "邸": "底",
    "寓": "遇",
    "佳": "家",
    "家": "佳",
    "雅": "亚",
    "锦": "景",
}
LOOKALIKES = {
    "村": "材",
    "苑": "宛",
    "川": "州",
    "田": "由",
    "石": "右",
    "北": "比",
    "武": "式",
    "光": "先",
    "复": "夏",
    "玉": "王",
    "桥": "侨",
    "浦": "捕",
    "梅": "海",
    "岭": "岑",
    "园": "圆",
    "庭": "廷",
    "新": "亲",
    "宁": "字",
    "江": "红",
    "杨": "扬",
    "真": "直",
    "泉": "原",
    "沪": "泸",
    "泸": "沪",
    "峪": "裕",
    "寓": "窝",
}
ABBREV_SUFFIXES = ("小区", "新村", "花园", "公寓", "家园", "花苑", "华庭", "名邸", "大楼")
ZONES = ("东区", "西区", "南区", "北区", "二期", "三期", "北块")
OURS = ("我们小区", "我家小区", "阿拉小区", "我们这里", "我住的小区")
NEAR_ROAD = ("附近马路", "家门口马路", "小区对面的马路", "附近一条街", "前面那条路")

# Channel and share of each style; a resident's own words also reach the hotline's web form.
STYLES = (("operator", 40), ("colloquial", 30), ("property", 10), ("patrol", 10), ("studio", 10))
STYLE_CHANNEL = {
    "operator": "hotline",
    "colloquial": "resident",
    "property": "property_company",
    "patrol": "patrol",
    "studio": "studio",
}


# ---------------------------------------------------------------------------------------------
# The gazetteer: demo plan estates and the ways people name them.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estate:
    name: str
    aliases: tuple[str, ...]
    lanes: tuple[str, ...]  # 梅川路1199弄, or 江宁路123号 for a single block
    subdistrict: str
    road: str
    buildings: int
    floors: int
    company: str
    abbrevs: tuple[str, ...] = ()
    typos: tuple[str, ...] = ()
    homophones: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()

    @property
    def block(self) -> bool:
        return self.lanes[0].endswith("号")

    def lane_of(self, building: int) -> str:
        return self.lanes[building % len(self.lanes)]


def _plan_estates() -> tuple[list[Any], dict[str, str]]:
    """The 1,000 demo plan estates and the names of the companies by credit code (Django
    settings are needed to import the demo package)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from xiaoqu.core.demo.plan import demo_plan

    plan = demo_plan()
    return plan.select(1000), {c.uscc: c.name for c in plan.companies}


class Gazetteer:
    """Estates with the variants of their names that point to them alone."""

    def __init__(self, plans: Sequence[Any], companies: dict[str, str]) -> None:
        self.companies = companies
        self.owner: dict[str, int] = {}
        strings: list[tuple[str, int]] = []
        for i, p in enumerate(plans):
            for s in (p.name, *p.aliases, *(a.address for a in p.addresses)):
                strings.append((s, i))
                self.owner.setdefault(s, i)
        self.strings = strings
        self.choices = [s for s, _ in strings]
        self.names = [(s, i) for s, i in strings if not s.endswith(("弄", "号"))]
        self.estates = [self._estate(i, p) for i, p in enumerate(plans)]
        self.by_name = {e.name: e for e in self.estates}

    def _unique_near(self, variant: str, i: int) -> bool:
        """No other estate's name, alias or lane is within one edit of `variant`."""
        if variant in self.owner:
            return False
        near = process.extract(
            variant, self.choices, scorer=Levenshtein.distance, score_cutoff=1, limit=None
        )
        return all(self.strings[k][1] == i for _, _, k in near)

    def _unique_part(self, part: str, i: int) -> bool:
        """`part` is in no other estate's name or alias, nor is any of them in it."""
        return all(j == i or (part not in s and s not in part) for s, j in self.names)

    def _estate(self, i: int, p: Any) -> Estate:
        rng = random.Random(f"{SEED}-{p.name}")
        name: str = p.name
        stem_len = len(p.stem)
        abbrevs = []
        shorts = [name[: -len(x)] for x in ABBREV_SUFFIXES if name.endswith(x)]
        shorts += [name[:-2] for x in ("东区", "西区", "南区", "北区") if name.endswith(x)]
        shorts += [name.replace("路", "", 1) for x in ("路小区", "路大楼") if name.endswith(x)]
        for short in shorts:
            if len(short) >= 2 and not short.endswith("路") and self._unique_part(short, i):
                abbrevs.append(short)
        homophones, typos = [], []
        for pos, ch in enumerate(name):
            for alt in HOMOPHONES.get(ch, ""):
                variant = name[:pos] + alt + name[pos + 1 :]
                if pos < stem_len + 1 and self._unique_near(variant, i):
                    homophones.append(variant)
            alt = LOOKALIKES.get(ch, "")
            if alt and alt not in HOMOPHONES.get(ch, ""):
                variant = name[:pos] + alt + name[pos + 1 :]
                if self._unique_near(variant, i):
                    typos.append(variant)
            if 0 < pos < stem_len and stem_len >= 3:
                dropped = name[:pos] + name[pos + 1 :]
                if self._unique_near(dropped, i):
                    typos.append(dropped)
        zones: list[str] = []
        if not name.endswith(("区", "期", "块", "东", "西", "南", "北")) and all(
            j == i or not s.startswith(name) for s, j in self.strings
        ):
            zones = [name + z for z in ZONES]
        rng.shuffle(homophones)
        rng.shuffle(typos)
        floors = 20 if p.pattern == "大楼" else {"old": 6, "mid": 7}.get(p.era, 18)
        return Estate(
            name=name,
            aliases=tuple(p.aliases),
            lanes=tuple(a.address for a in p.addresses),
            subdistrict=p.subdistrict_code,
            road=p.addresses[0].road,
            buildings=max(1, p.buildings),
            floors=floors,
            company=self.companies.get(p.company_uscc or "", ""),
            abbrevs=tuple(abbrevs),
            typos=tuple(typos[:4]),
            homophones=tuple(homophones[:4]),
            zones=tuple(zones),
        )


# ---------------------------------------------------------------------------------------------
# Drafts (what a complaint is about) and their rendering into text.
# ---------------------------------------------------------------------------------------------


@dataclass
class Draft:
    label: str
    estate: Estate | None
    building: int  # 0: the whole estate, or the single block
    room: str  # 502, or "" for a building or the estate
    kind: str  # the spot: "room", "building" or "estate"
    when: dt.datetime
    matter: str
    hard: list[str] = field(default_factory=list)


def _kind(template: str) -> str:
    return "room" if "{r}" in template else "building" if "{b}" in template else "estate"


class SplitPools:
    """The phrasings of one split: every third problem and impact template is test-only."""

    def __init__(self, split: str) -> None:
        keep = (lambda k: k % 3 == 2) if split == "test" else (lambda k: k % 3 != 2)
        self.problems = {
            label: [t for k, t in enumerate(pool.problems) if keep(k)]
            for label, pool in POOLS.items()
        }
        self.impacts = {
            label: [t for k, t in enumerate(pool.impacts) if keep(k)]
            for label, pool in POOLS.items()
        }

    def of_kind(self, label: str, kind: str) -> list[str]:
        return [t for t in self.problems[label] if _kind(t) == kind]

    def kinds(self, label: str) -> list[str]:
        return sorted({_kind(t) for t in self.problems[label]})


@dataclass
class Mention:
    text: str  # how the estate is named in the text ("" if not named)
    lane: bool  # the text names the lane rather than the estate
    address: str  # the separate address field
    hard: list[str]


def _mention(rng: random.Random, d: Draft, channel: str, style: str) -> Mention:
    e = d.estate
    if e is None:
        return Mention(rng.choice(OURS) if rng.random() < 0.4 else "", False, "", ["no_estate"])
    lane = e.lane_of(d.building)
    full = lane if e.block or not d.building else f"{lane}{d.building}号"
    if d.room and rng.random() < 0.3:
        full += f"{d.room}室"
    if rng.random() < 0.15:
        full = "普陀区" + full
    ways: list[tuple[str, float]] = [("name", 40.0), ("lane_text", 10.0), ("lane_field", 8.0)]
    ways += [("alias", 9.0)] if e.aliases else []
    ways += [("abbrev", 60.0)] if e.abbrevs else []
    ways += [("typo", 6.0)] if e.typos else []
    ways += [("homophone", 6.0)] if e.homophones else []
    ways += [("zone", 5.0)] if e.zones else []
    way = rng.choices([w for w, _ in ways], weights=[x for _, x in ways])[0]
    if style == "property" and rng.random() < 0.7:
        way = "name"  # a property company names the estate it manages
    odds = {"hotline": 0.5, "resident": 0.1}.get(channel, 0.15)
    address = full if rng.random() < odds else ""
    if way == "name":
        return Mention(e.name, False, address, [])
    if way == "lane_text":
        return Mention(lane, True, address if rng.random() < 0.5 else "", ["lane_only"])
    if way == "lane_field":
        return Mention("", False, full, ["lane_only"])
    if way == "alias":
        return Mention(rng.choice(e.aliases), False, address, ["alias"])
    if way == "zone":
        return Mention(rng.choice(e.zones), False, address, ["alias"])
    variants = {"abbrev": e.abbrevs, "typo": e.typos, "homophone": e.homophones}[way]
    return Mention(rng.choice(variants), False, address, [way])


def _fill(rng: random.Random, template: str, d: Draft, m: Mention) -> str:
    """The problem template with the spot filled in as this text names it."""
    e = d.estate
    if e is not None and e.block:
        b, r = "", f"{d.room}室"
    elif m.lane:
        b = f"{d.building}号"
        r = f"{b}{d.room}" + rng.choice(("室", "室", ""))
    else:
        b = rng.choice(
            (f"{d.building}号楼", f"{d.building}号楼", f"{d.building}号", f"{d.building}幢")
        )
        r = f"{b}{d.room}" + rng.choice(("室", "室", ""))
        if b.endswith("幢"):
            r = f"{b}{d.room}室"
    road = e.road if e is not None else rng.choice(NEAR_ROAD)
    return template.lstrip("*").format(
        b=b,
        r=r,
        n=rng.randint(3, 12),
        d=rng.choice(DURATIONS),
        w=rng.choice(TIMES),
        s=road,
    )


def _place(rng: random.Random, problem: str, m: Mention, style: str) -> str:
    """The estate mention joined to the filled problem."""
    prefix = m.text
    if not prefix:
        return problem
    if style == "colloquial" and rng.random() < 0.3:
        return f"我住{prefix}，{problem}"
    if problem.startswith("小区"):
        keep = "" if prefix.endswith("小区") else rng.choice(("", "小区"))
        return prefix + keep + problem[2:]
    if problem[0].isdigit() or problem.startswith(("楼道", "楼梯", "电梯")) or m.lane:
        return prefix + problem
    if problem.startswith("物业"):
        return prefix + rng.choice(("，", " ", "的")) + problem
    return prefix + "，" + problem


def _colloquial(rng: random.Random, text: str, hard: list[str]) -> str:
    """Residents' own words: register, typos, homophones and loose punctuation."""
    for old, new in REGISTER:
        if old in text and rng.random() < 0.4:
            text = text.replace(old, new, 1)
    typos = [(o, n) for o, n in TYPOS if o in text]
    if typos and rng.random() < 0.45:
        for old, new in rng.sample(typos, min(len(typos), rng.choice((1, 1, 2)))):
            text = text.replace(old, new, 1)
        hard.append("typo")
    roll = rng.random()
    if roll < 0.25:
        text = text.replace("，", " ").replace("。", " ").strip()
    elif roll < 0.4:
        text = text.replace("，", "")
    if rng.random() < 0.2:
        text = text.rstrip("。！？ ") + rng.choice(("！！！", "。。。", "!!", "？？"))
    return text


def _day(d: dt.datetime) -> str:
    return f"{d.month}月{d.day}日"


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


def _reporter(rng: random.Random) -> str:
    from xiaoqu.core.demo.names import person_name

    return person_name(rng)[0] + rng.choice(("先生", "女士", "阿姨", "老伯"))


def _officer(rng: random.Random) -> str:
    from xiaoqu.core.demo.names import person_name

    return rng.choice(("联系人", "社工", "队员", "")) + person_name(rng)


def render(
    rng: random.Random, d: Draft, style: str, pools: SplitPools, template: str
) -> dict[str, Any]:
    """One corpus line for the draft, written in `style` with the problem `template`."""
    channel = STYLE_CHANNEL[style]
    if style == "colloquial" and rng.random() < 0.2:
        channel = "hotline"  # the hotline's web form
    hard = list(d.hard)
    m = _mention(rng, d, channel, style)
    hard += m.hard
    if template.startswith("*"):
        hard.append("shared_keywords")
    problem = _fill(rng, template, d, m)
    place = _place(rng, problem, m, style)
    impacts = pools.impacts[d.label]
    impact = rng.choice(impacts)
    if rng.random() < 0.25:
        impact += "，" + rng.choice([i for i in impacts if i != impact])
    if rng.random() < 0.2:
        impact = rng.choice(EXTRA_CONTEXT) + "，" + impact
    demands, frames = {
        "operator": (OPERATOR_DEMANDS, OPERATOR_FRAMES),
        "colloquial": (COLLOQUIAL_DEMANDS, COLLOQUIAL_FRAMES),
        "property": (
            (PROPERTY_REFER_DEMANDS, PROPERTY_REFER_FRAMES)
            if d.label.startswith("other:")
            else (PROPERTY_DEMANDS, PROPERTY_FRAMES)
        ),
        "patrol": (PATROL_DEMANDS, PATROL_FRAMES),
        "studio": (STUDIO_DEMANDS, STUDIO_FRAMES),
    }[style]
    before = d.when - dt.timedelta(days=rng.randint(1, 10))
    text = rng.choice(frames).format(
        p=place,
        i=impact,
        q=rng.choice(demands),
        d=rng.choice(DURATIONS),
        n=rng.randint(2, 4),
        name=_reporter(rng),
        officer=_officer(rng),
        tel=_phone(rng),
        date=_day(before if style == "property" else d.when),
        company=(d.estate.company if d.estate and d.estate.company else "") or "本物业公司",
    )
    if style == "operator" and rng.random() < 0.15:
        text += rng.choice(OPERATOR_TAILS)
    if rng.random() < 0.06:
        text = _two_issues(rng, text, d, m, pools)
        hard.append("two_issues")
    if style == "colloquial":
        text = _colloquial(rng, text, hard)
    elif rng.random() < 0.04:
        typos = [(o, n) for o, n in TYPOS if o in text]
        if typos:
            old, new = rng.choice(typos)
            text = text.replace(old, new, 1)
            hard.append("typo")
    text = re.sub(r"，[，。]", "，", text).replace("。。", "。") if style != "colloquial" else text
    label = d.label
    refer = label.split(":", 1)[1] if label.startswith("other:") else ""
    return {
        "text": text,
        "address": m.address,
        "channel": channel,
        "received_at": d.when.isoformat(),
        "label": label,
        "violation_type": "" if refer else label,
        "refer_to": refer,
        "estate": d.estate.name if d.estate else "",
        "subdistrict": d.estate.subdistrict if d.estate else "",
        "matter": d.matter,
        "hard": sorted(set(hard)),
        "style": style,
    }


def _two_issues(rng: random.Random, text: str, d: Draft, m: Mention, pools: SplitPools) -> str:
    """Add a second issue in passing. The label stays with the issue the complainant asks to be
    handled; the other is marked as already reported, handled elsewhere or not urgent."""
    other = rng.choice([label for label in LABELS if label != d.label])
    template = rng.choice(pools.problems[other])
    spot = Draft(d.label, d.estate, d.building, d.room, d.kind, d.when, d.matter)
    if "{r}" in template and not spot.room:
        spot.room = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}"
    if ("{r}" in template or "{b}" in template) and not spot.building:
        spot.building = rng.randint(1, 8)
    sec = _fill(rng, template, spot, m)
    forms = (
        "{t}另外，{s}，这个之前已经反映过了，有人在处理。",
        "{t}（另：{s}，已另行派单。）",
        "{t}顺便说一下，{s}，不过这个不急。",
        "{s}的事情上次已经解决了。{t}",
        "之前反映的{s}已经处理好了，这次反映的是另外一件事：{t}",
    )
    return rng.choice(forms).format(t=text, s=sec)


# ---------------------------------------------------------------------------------------------
# Matters, repeats and near misses; the two splits.
# ---------------------------------------------------------------------------------------------

HOURS = {
    "hotline": (7, 22),
    "resident": (6, 23),
    "property_company": (8, 18),
    "patrol": (8, 17),
    "studio": (9, 17),
}
REPEAT_ODDS = 0.125  # of a matter with an estate being complained about 2-4 times
NO_ESTATE_ODDS = 0.12
NEAR_MISS_SHARE = 0.06


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(7, 21), rng.randint(0, 59), tzinfo=TZ
    )


# Who does not write about what: a property company does not report its own negligence;
# patrols and property companies do not ask for legal aid or planning information.
NO_STYLE = {
    "property_negligence": ("property",),
    "other:justice": ("property", "patrol"),
    "other:planning": ("property", "patrol"),
}


def _style(rng: random.Random, label: str) -> str:
    styles = [(s, w) for s, w in STYLES if s not in NO_STYLE.get(label, ())]
    return rng.choices([s for s, _ in styles], weights=[w for _, w in styles])[0]


class SplitBuilder:
    def __init__(self, split: str, gazetteer: Gazetteer, quota: int) -> None:
        self.split = split
        self.rng = random.Random(f"{SEED}-{split}")
        self.pools = SplitPools(split)
        self.estates = gazetteer.estates
        self.with_abbrev = [e for e in self.estates if e.abbrevs]
        self.quota = quota
        self.matters = 0
        # (draft, template) in order of creation; first drafts of matters by label
        self.drafts: list[tuple[Draft, str]] = []
        self.firsts: dict[str, list[Draft]] = {label: [] for label in LABELS}
        self.last: dict[str, dt.datetime] = {}
        self.used: set[tuple[str, str]] = set()

    def _matter(self) -> str:
        self.matters += 1
        return f"{self.split}-m{self.matters:05d}"

    def _spot(self, e: Estate | None, kind: str) -> tuple[int, str]:
        rng = self.rng
        if kind == "estate":
            return 0, ""
        building = (
            0 if e is not None and e.block else rng.randint(1, max(2, e.buildings if e else 12))
        )
        if kind == "building":
            return building, ""
        floors = e.floors if e is not None else 6
        return building, f"{rng.randint(1, floors)}{rng.randint(1, 4):02d}"

    def _add(self, d: Draft, template: str) -> None:
        self.drafts.append((d, template))
        self.last[d.matter] = max(self.last.get(d.matter, d.when), d.when)

    def base(self, label: str, count: int) -> None:
        """Matters of `label`, some complained about again, `count` drafts in all."""
        rng = self.rng
        made = 0
        while made < count:
            if rng.random() < NO_ESTATE_ODDS:
                estate = None
            else:
                # one matter per estate and label, so that only the intended repeats and near
                # misses share an estate and an issue
                choices = self.with_abbrev if rng.random() < 0.06 else self.estates
                estate = rng.choice(choices)
                while (estate.name, label) in self.used:
                    estate = rng.choice(self.estates)
                self.used.add((estate.name, label))
            template = rng.choice(self.pools.problems[label])
            kind = _kind(template)
            building, room = self._spot(estate, kind)
            size = 1
            if estate is not None and rng.random() < REPEAT_ODDS:
                size = min(rng.choice((2, 2, 3, 3, 4)), count - made)
            span = (LAST_DAY - FIRST_DAY).days - (80 if size > 1 else 0)
            day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
            first = Draft(label, estate, building, room, kind, _at(rng, day), self._matter())
            self._add(first, template)
            self.firsts[label].append(first)
            same_kind = self.pools.of_kind(label, kind)
            for _ in range(size - 1):
                day += dt.timedelta(days=rng.randint(2, 24))
                again = [t for t in same_kind if t != template] or same_kind
                template = rng.choice(again)
                repeat = Draft(label, estate, building, room, kind, _at(rng, day), first.matter)
                self._add(repeat, template)
            made += size

    def near_misses(self, label: str, count: int) -> None:
        """New matters close to earlier ones: another issue at the same spot, the same issue
        next door, or the same issue at the same spot more than 90 days after the last."""
        rng = self.rng
        made = attempts = 0
        while made < count and attempts < 10_000:
            attempts += 1
            ways = ["other_issue", "later"]
            if {"room", "building"} & set(self.pools.kinds(label)):
                ways.insert(1, "next_door")
            way = ways[made % len(ways)]
            if way == "other_issue":
                kinds = self.pools.kinds(label)
                other = rng.choice([x for x in LABELS if x != label])
                base = rng.choice(self.firsts[other])
                if base.estate is None or base.kind not in kinds:
                    continue
                building, room, kind = base.building, base.room, base.kind
                day = base.when.date() + dt.timedelta(days=rng.randint(1, 40))
            else:
                base = rng.choice(self.firsts[label])
                e = base.estate
                if e is None or (way == "next_door" and (base.kind == "estate" or e.block)):
                    continue
                kind, room = base.kind, base.room
                building = base.building
                if way == "next_door":
                    building = (
                        base.building + 1
                        if base.building < max(2, e.buildings)
                        else base.building - 1
                    )
                    day = base.when.date() + dt.timedelta(days=rng.randint(1, 30))
                else:
                    day = self.last[base.matter].date() + dt.timedelta(days=rng.randint(95, 160))
            if day > LAST_DAY:
                continue
            template = rng.choice(self.pools.of_kind(label, kind))
            d = Draft(label, base.estate, building, room, kind, _at(rng, day), self._matter())
            d.hard.append("near_miss")
            self._add(d, template)
            made += 1

    def rows(self, taken: set[str]) -> list[dict[str, Any]]:
        near = round(self.quota * NEAR_MISS_SHARE)
        for label in LABELS:
            self.base(label, self.quota - near)
        for label in LABELS:
            self.near_misses(label, near)
        rng = self.rng
        rows = []
        seen = set(taken)
        for d, template in self.drafts:
            for _ in range(50):
                row = render(rng, d, _style(rng, d.label), self.pools, template)
                if row["text"] not in seen:
                    break
            seen.add(row["text"])
            lo, hi = HOURS[row["channel"]]
            when = d.when.replace(hour=rng.randint(lo, hi))
            row["received_at"] = when.isoformat()
            d.when = when
            rows.append(row)
        rng.shuffle(rows)
        return [{"id": f"{self.split}-{k:05d}", **row} for k, row in enumerate(rows, start=1)]


def build(out_dir: Path = HERE) -> dict[str, list[dict[str, Any]]]:
    """Generate both splits and write train.jsonl and test.jsonl into `out_dir`."""
    gazetteer = Gazetteer(*_plan_estates())
    train = SplitBuilder("train", gazetteer, TRAIN_PER_LABEL).rows(set())
    test = SplitBuilder("test", gazetteer, TEST_PER_LABEL).rows({r["text"] for r in train})
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("test", test)):
        lines = [json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) for r in rows]
        (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"train": train, "test": test}


def main() -> None:
    splits = build()
    for name, rows in splits.items():
        print(f"{name}: {len(rows)} items")


if __name__ == "__main__":
    main()

"""The names, phones and places of the demo city, and the random draws every part uses.

Surnames weighted as in southeast Shanxi, given names, ethnicities, mobile prefixes and the
village and community names of the points. `CityDraws` holds the city's one random source and
the small draws made from it; the builders of the other modules stand on it.
"""

import datetime
import random

from deputies.models import Gender

# Surnames with rough weights for southeast Shanxi (王李张刘 lead everywhere; 郭申牛秦 are
# common around 长治).
SURNAMES = {
    "王": 800,
    "李": 750,
    "张": 700,
    "刘": 520,
    "赵": 300,
    "郭": 280,
    "杨": 260,
    "陈": 200,
    "申": 120,
    "武": 140,
    "牛": 110,
    "秦": 100,
    "常": 90,
    "段": 90,
    "靳": 70,
    "闫": 120,
    "贾": 110,
    "郝": 100,
    "田": 100,
    "马": 110,
    "孙": 110,
    "吴": 90,
    "周": 90,
    "徐": 80,
    "胡": 70,
    "高": 110,
    "冯": 80,
    "韩": 90,
    "崔": 70,
    "宋": 80,
    "任": 90,
    "程": 60,
    "卫": 40,
    "原": 40,
    "史": 60,
    "侯": 60,
    "董": 60,
    "连": 30,
    "暴": 20,
    "栗": 30,
    "路": 40,
    "苗": 40,
    "魏": 60,
    "姚": 50,
    "薛": 50,
    "范": 60,
    "梁": 60,
    "白": 60,
    "席": 20,
    "裴": 30,
    "焦": 30,
    "吕": 50,
    "岳": 40,
    "郑": 60,
    "曹": 50,
    "许": 50,
    "邢": 40,
    "尹": 30,
    "石": 50,
    "霍": 40,
    "平": 20,
    "桑": 20,
    "鲍": 20,
    "司": 20,
    "茹": 10,
    "上官": 3,
    "欧阳": 3,
}
MALE_GIVEN = (
    "伟强军勇斌杰涛明超磊鹏辉刚平华建国峰林波宇浩俊文志海东亮新飞龙晓卫忠旭昊宏健锋毅力永成康"
    "瑞鑫泽晨阳振兴德福贵生保有春庆树森江山云鸿利民学光红胜立彬宁凯帅"
)
FEMALE_GIVEN = (
    "芳丽娟敏静艳玲霞燕红梅琳洁慧英萍娜婷雪颖倩媛佳丹瑶欣悦蕾琴芬翠兰秀凤荣莉晶璐怡春晓玉月"
    "华美霞珍爱彩云亚琼"
)
ETHNICITIES = {"汉族": 985, "回族": 9, "满族": 3, "蒙古族": 2, "壮族": 1}
MOBILE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "189",
    "177",
    "199",
)

# Village and community names for the points.
PLACE_PREFIXES = "东西南北上下前后大小中新老高东西南北"
PLACE_ROOTS = "庄村堡沟坡河岭头掌峪寨营垴店关坪底湾岩泉"
COMMUNITY_WORDS = (
    "幸福",
    "和平",
    "建设",
    "光明",
    "太行",
    "英雄",
    "紫金",
    "长兴",
    "东风",
    "朝阳",
    "安居",
    "锦华",
    "滨河",
    "振兴",
    "新民",
    "康乐",
    "惠民",
    "华苑",
    "府后",
    "城北",
    "西关",
    "南关",
    "钟楼",
    "漳河",
    "金威",
    "丽景",
    "上党",
    "红星",
    "北董",
    "颐和",
)
COMMUNITY_SUFFIXES = ("", "", "", "苑", "园", "里")


class CityDraws:
    """The city's one random source, its scale and day, and the small draws made from them."""

    def __init__(self, *, rng: random.Random, scale: float, today: datetime.date):
        self.rng = rng
        self.scale = scale
        self.today = today
        self._surnames = list(SURNAMES)
        self._surname_weights = list(SURNAMES.values())
        self._ethnicities = list(ETHNICITIES)
        self._ethnicity_weights = list(ETHNICITIES.values())

    # -- small generators ------------------------------------------------------------------
    def pick(self, weighted: dict):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def person_name(self, gender: str) -> str:
        surname = self.rng.choices(self._surnames, weights=self._surname_weights)[0]
        pool = FEMALE_GIVEN if gender == Gender.FEMALE else MALE_GIVEN
        if self.rng.random() < 0.25:
            return surname + self.rng.choice(pool)
        first = self.rng.choice(pool)
        second = first if self.rng.random() < 0.03 else self.rng.choice(pool.replace(first, ""))
        return surname + first + second

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0355-{self.rng.randrange(2000000, 8000000)}"

    def village_name(self) -> str:
        if self.rng.random() < 0.35:
            surname = self.rng.choices(self._surnames[:40], weights=self._surname_weights[:40])[0]
            return surname + "家" + self.rng.choice("庄沟岭峪坡河")
        return self.rng.choice(PLACE_PREFIXES) + self.rng.choice(PLACE_ROOTS)

    def community_name(self) -> str:
        return self.rng.choice(COMMUNITY_WORDS) + self.rng.choice(COMMUNITY_SUFFIXES)

    def scaled(self, count: int, minimum: int = 0) -> int:
        return max(minimum, round(count * self.scale))

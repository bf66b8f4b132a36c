"""The deterministic roster (人大代表名册) the import benchmarks read: row i always holds the
same person, with one to three mandates, grouped into the station of their township, some of
them station heads, leading officials among them."""

import tablib

from stations.models import Region, Station

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌晓东海波宁亮红梅琳雪燕鹏飞宇浩然凯欣悦"
OCCUPATIONS = ("农民", "教师", "医生", "工人", "个体经营者", "社区工作者", "企业管理人员", "公务员", "村干部", "律师")


def roster_dataset(townships: list[Region], stations: dict[str, Station], rows: int) -> tablib.Dataset:
    """The deterministic roster: row i always holds the same person."""
    headers = [
        "姓名", "性别", "民族", "政治面貌", "出生日期", "职业", "工作单位及职务", "手机号", "领导干部代表",
        "所属区划", "代表层级", "届次", "选区", "任期开始", "编组站点",
    ]
    dataset = tablib.Dataset(headers=headers)
    for i in range(rows):
        township = townships[i % len(townships)]
        county_code = township.code[:6]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + (
            GIVEN[(i * 7) % len(GIVEN)] if i % 3 else ""
        )
        levels = ["乡"]
        congresses = [f"{township.name}第十八届人民代表大会"]
        if i % 4 == 0:
            levels.append("县")
            congresses.append(f"{county_code}县（区）第十七届人民代表大会")
        if i % 25 == 0:
            levels.append("市")
            congresses.append("长治市第十五届人民代表大会")
        role = "[站长]" if i % 60 == 0 else ""
        dataset.append(
            [
                name,
                "女" if i % 2 else "男",
                "汉族" if i % 17 else "回族",
                "中共党员" if i % 3 == 0 else "群众",
                f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                OCCUPATIONS[i % len(OCCUPATIONS)],
                f"{township.name}{OCCUPATIONS[i % len(OCCUPATIONS)]}",
                f"199{i:08d}",
                "是" if i % 12 == 0 else "否",
                township.code,
                ";".join(levels),
                ";".join(congresses),
                f"第{1 + i % 9}选区",
                "2021-10-01",
                stations[township.code].name + role,
            ]
        )
    return dataset

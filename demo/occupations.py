"""What the demo deputies do: their work, employers, fields of expertise and parties, and the
professional groups (专业代表小组) the fields lead to."""

from demo.names import CityDraws
from deputies.models import Gender, Level, Party
from stations.models import Region

SOE_JOBS = (
    ("潞安化工集团王庄煤矿", ("综采队队长", "采煤工", "安全员", "机电工程师")),
    ("潞安化工集团常村煤矿", ("掘进队队长", "通风工", "技术员")),
    ("首钢长治钢铁有限公司", ("炼钢厂工人", "轧钢厂班长", "高级技师")),
    ("国网长治供电公司", ("配电运维班班长", "线路工", "高级工程师")),
    ("长治市公共交通有限公司", ("公交车驾驶员", "调度员")),
    ("山西潞宝集团", ("焦化厂技术员", "车间主任")),
    ("长治高新区科技企业孵化器", ("高级工程师", "研发部经理")),
)
COMPANY_BRANDS = (
    "太行",
    "上党",
    "漳河",
    "红星",
    "金晖",
    "长兴",
    "鑫源",
    "华宇",
    "晋东南",
    "沁州",
    "潞安",
    "黎都",
)
COMPANY_TRADES = (
    ("农业科技", "农业农村"),
    ("建材", "工业经济"),
    ("食品", "工业经济"),
    ("物流", "工业经济"),
    ("医药", "医疗卫生"),
    ("机械制造", "工业经济"),
    ("光电科技", "工业经济"),
    ("小米加工", "农业农村"),
    ("中药材种植", "农业农村"),
    ("建筑工程", "城乡建设"),
    ("文化旅游", "文化旅游"),
    ("环保科技", "生态环境"),
)
CITY_BUREAUS = (
    "长治市发展和改革委员会",
    "长治市教育局",
    "长治市财政局",
    "长治市民政局",
    "长治市农业农村局",
    "长治市卫生健康委员会",
    "长治市住房和城乡建设局",
    "长治市交通运输局",
    "长治市生态环境局",
    "长治市文化和旅游局",
    "长治市工业和信息化局",
    "长治市应急管理局",
)
COUNTY_BUREAUS = (
    "教育局",
    "财政局",
    "农业农村局",
    "卫生健康局",
    "住房和城乡建设局",
    "民政局",
    "交通运输局",
)
CITY_LEADER_POSTS = (
    ("中共长治市委员会", "常委"),
    ("长治市人民政府", "副市长"),
    ("长治市人大常委会", "副主任"),
    ("长治市中级人民法院", "院长"),
    ("长治市人民检察院", "检察长"),
    ("长治市政协", "副主席"),
)

# Fields of expertise and the professional group (专业代表小组) each one joins.
GROUPS = {
    "法律": "法制专业代表小组",
    "财政金融": "财政经济专业代表小组",
    "工业经济": "财政经济专业代表小组",
    "教育": "教育科学文化卫生专业代表小组",
    "医疗卫生": "教育科学文化卫生专业代表小组",
    "文化旅游": "教育科学文化卫生专业代表小组",
    "农业农村": "农业与农村专业代表小组",
    "城乡建设": "城乡建设与环境保护专业代表小组",
    "生态环境": "城乡建设与环境保护专业代表小组",
    "社会治理": "社会建设专业代表小组",
}
GROUP_DESCRIPTIONS = {
    "法制专业代表小组": "围绕法治政府建设、地方立法开展调研和执法检查。",
    "财政经济专业代表小组": "关注预算审查监督、营商环境和产业转型。",
    "教育科学文化卫生专业代表小组": "关注教育均衡、医疗卫生、文化惠民。",
    "农业与农村专业代表小组": "关注乡村振兴、农村饮水和农业产业化。",
    "城乡建设与环境保护专业代表小组": "关注老旧小区改造、城市管理和生态环境保护。",
    "社会建设专业代表小组": "关注养老服务、社会保障和基层治理。",
}


class OccupationDraws(CityDraws):
    """A deputy's work and party, drawn for their level and home (after the network)."""

    def job(self, level: str, home: Region, leading: bool) -> tuple[str, str, str]:
        """(occupation 职业, employer 工作单位及职务, expertise 专业特长) for one deputy."""
        rng = self.rng
        county = self.counties[home.parent_id].name
        kind = self.township_kind[home.code]
        head = {"subdistrict": "街道党工委", "zone": "党工委"}.get(kind, "党委")
        if leading:
            if level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
                organ, post = rng.choice(CITY_LEADER_POSTS)
                if rng.random() < 0.5:
                    organ, post = rng.choice(CITY_BUREAUS), rng.choice(("局长", "主任", "党组书记"))
                expertise = (
                    "法律" if "法院" in organ or "检察" in organ else rng.choice(list(GROUPS))
                )
                return "公务员", f"{organ}{post}", expertise
            if level == Level.COUNTY:
                county_head = "区长" if county.endswith("区") else "县长"
                posts = (
                    f"中共{county}委员会书记",
                    f"{county}人民政府{county_head}",
                    f"{county}人民政府副{county_head}",
                    f"{county}人大常委会主任",
                    f"{county}{rng.choice(COUNTY_BUREAUS)}局长",
                )
                return (
                    "公务员",
                    rng.choice(posts),
                    rng.choice(("社会治理", "财政金融", "城乡建设", "农业农村")),
                )
            chief = {
                "subdistrict": "办事处主任",
                "town": "镇长",
                "township": "乡长",
                "zone": "管委会主任",
            }[kind]
            post = rng.choice((f"{head}书记", chief, "人大主席"))
            return "公务员", f"{home.name}{post}", rng.choice(("社会治理", "农业农村"))

        rural = kind in ("town", "township")
        profiles = {
            "farmer": 40 if level == Level.TOWNSHIP else (12 if level == Level.COUNTY else 4),
            "village_head": 25 if level == Level.TOWNSHIP else (18 if level == Level.COUNTY else 3),
            "community": 0 if rural else (10 if level in (Level.TOWNSHIP, Level.COUNTY) else 2),
            "worker": 8 if level == Level.TOWNSHIP else 12,
            "teacher": 6 if level == Level.TOWNSHIP else 12,
            "doctor": 4 if level == Level.TOWNSHIP else 10,
            "business": 8 if level == Level.TOWNSHIP else 15,
            "self_employed": 6 if level == Level.TOWNSHIP else 3,
            "lawyer": 0 if level == Level.TOWNSHIP else 4,
            "official": 3 if level == Level.TOWNSHIP else 8,
            "artist": 0 if level == Level.TOWNSHIP else 2,
        }
        profile = self.pick(profiles)
        if profile == "farmer":
            village = self.village_name()
            what = rng.choice(("种植大户", "家庭农场主", "养殖户", "农民合作社理事长", "村民"))
            return "农民", f"{home.name}{village}村{what}", "农业农村"
        if profile == "village_head" or (profile == "community" and rural):
            village = self.village_name()
            return "村干部", f"{home.name}{village}村党支部书记、村委会主任", "农业农村"
        if profile == "community":
            return (
                "社区工作者",
                f"{home.name}{self.community_name()}社区党委书记、居委会主任",
                "社会治理",
            )
        if profile == "worker":
            company, posts = rng.choice(SOE_JOBS)
            return "工人", f"{company}{rng.choice(posts)}", "工业经济"
        if profile == "teacher":
            schools = [f"{county}第一中学", f"{county}实验小学", f"{home.name}中心学校"]
            if level != Level.TOWNSHIP:  # city institutions send deputies to higher congresses
                schools += ["长治市第二中学校", "长治学院", "长治医学院"]
            school = rng.choice(schools)
            post = (
                rng.choice(("教授", "副教授"))
                if school in ("长治学院", "长治医学院")
                else rng.choice(("教师", "校长", "副校长"))
            )
            return "教师", f"{school}{post}", "教育"
        if profile == "doctor":
            hospitals = [f"{county}人民医院", f"{home.name}卫生院"]
            if level != Level.TOWNSHIP:
                hospitals += ["长治市人民医院", "长治医学院附属和平医院", "长治市妇幼保健院"]
            hospital = rng.choice(hospitals)
            post = (
                "院长"
                if hospital.endswith("卫生院")
                else rng.choice(("主任医师", "副主任医师", "护士长"))
            )
            return "医生", f"{hospital}{post}", "医疗卫生"
        if profile == "business":
            trade, expertise = rng.choice(COMPANY_TRADES)
            return (
                "企业管理人员",
                f"山西{rng.choice(COMPANY_BRANDS)}{trade}有限公司"
                f"{rng.choice(('董事长', '总经理', '副总经理'))}",
                expertise,
            )
        if profile == "self_employed":
            shop = rng.choice(("超市", "农资店", "餐馆", "汽修部", "服装店"))
            return (
                "个体工商户",
                f"{home.name}{self.person_name(Gender.MALE)[:1]}记{shop}经营者",
                "社会治理",
            )
        if profile == "lawyer":
            return (
                "律师",
                f"山西{rng.choice(COMPANY_BRANDS)}律师事务所{rng.choice(('主任', '律师'))}",
                "法律",
            )
        if profile == "official":
            return (
                "公务员",
                f"{county}{rng.choice(COUNTY_BUREAUS)}{rng.choice(('科长', '副局长', '干部'))}",
                "社会治理",
            )
        return "文艺工作者", f"长治市上党梆子剧院{rng.choice(('演员', '团长'))}", "文化旅游"

    def party(self, level: str, leading: bool, birth_year: int) -> str:
        if leading:
            return self.pick({Party.CPC: 95, Party.CDL: 2, Party.CNDCA: 2, Party.NON_PARTY: 1})
        weights = {
            Party.CPC: 68 if level != Level.TOWNSHIP else 58,
            Party.MASSES: 22,
            Party.NON_PARTY: 4,
            Party.CPC_PROBATIONARY: 1,
            Party.CYL: 4 if birth_year >= 1992 else 0,
        }
        if level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
            weights.update(
                {
                    Party.CDL: 2,
                    Party.CNDCA: 2,
                    Party.CAPD: 1,
                    Party.CPWDP: 1,
                    Party.JS: 1,
                    Party.RCCK: 1,
                }
            )
        return self.pick(weights)

"""Chinese people for the demo: names (with pinyin for e-mail addresses), mobile numbers, handles.

The lists are written for kesu; surname weights follow the rough order of frequency in mainland
China, so 王, 李 and 张 are common and 欧阳 is rare.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (surname, pinyin, weight)
# fmt: off
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "wang", 7.1), ("李", "li", 7.0), ("张", "zhang", 6.7), ("刘", "liu", 5.4), ("陈", "chen", 4.5),
    ("杨", "yang", 3.1), ("黄", "huang", 2.5), ("赵", "zhao", 2.0), ("吴", "wu", 1.9), ("周", "zhou", 1.9),
    ("徐", "xu", 1.5), ("孙", "sun", 1.4), ("马", "ma", 1.4), ("朱", "zhu", 1.3), ("胡", "hu", 1.2),
    ("郭", "guo", 1.1), ("何", "he", 1.1), ("林", "lin", 1.0), ("高", "gao", 1.0), ("罗", "luo", 0.9),
    ("郑", "zheng", 0.9), ("梁", "liang", 0.8), ("谢", "xie", 0.7), ("宋", "song", 0.7), ("唐", "tang", 0.7),
    ("许", "xu", 0.6), ("韩", "han", 0.6), ("冯", "feng", 0.6), ("邓", "deng", 0.6), ("曹", "cao", 0.6),
    ("彭", "peng", 0.5), ("曾", "zeng", 0.5), ("肖", "xiao", 0.5), ("田", "tian", 0.5), ("董", "dong", 0.5),
    ("袁", "yuan", 0.4), ("潘", "pan", 0.4), ("于", "yu", 0.4), ("蒋", "jiang", 0.4), ("蔡", "cai", 0.4),
    ("余", "yu", 0.4), ("杜", "du", 0.4), ("叶", "ye", 0.4), ("程", "cheng", 0.4), ("苏", "su", 0.3),
    ("魏", "wei", 0.3), ("吕", "lv", 0.3), ("丁", "ding", 0.3), ("任", "ren", 0.3), ("沈", "shen", 0.3),
    ("姚", "yao", 0.3), ("卢", "lu", 0.3), ("姜", "jiang", 0.3), ("崔", "cui", 0.3), ("钟", "zhong", 0.3),
    ("谭", "tan", 0.3), ("陆", "lu", 0.3), ("汪", "wang", 0.3), ("范", "fan", 0.3), ("金", "jin", 0.3),
    ("石", "shi", 0.3), ("廖", "liao", 0.3), ("贾", "jia", 0.2), ("夏", "xia", 0.2), ("韦", "wei", 0.2),
    ("付", "fu", 0.2), ("方", "fang", 0.2), ("白", "bai", 0.2), ("邹", "zou", 0.2), ("孟", "meng", 0.2),
    ("熊", "xiong", 0.2), ("秦", "qin", 0.2), ("邱", "qiu", 0.2), ("江", "jiang", 0.2), ("尹", "yin", 0.2),
    ("薛", "xue", 0.2), ("闫", "yan", 0.2), ("段", "duan", 0.2), ("雷", "lei", 0.2), ("侯", "hou", 0.2),
    ("龙", "long", 0.2), ("史", "shi", 0.2), ("陶", "tao", 0.2), ("黎", "li", 0.2), ("贺", "he", 0.2),
    ("顾", "gu", 0.2), ("毛", "mao", 0.2), ("郝", "hao", 0.2), ("龚", "gong", 0.1), ("邵", "shao", 0.1),
    ("万", "wan", 0.1), ("钱", "qian", 0.1), ("严", "yan", 0.1), ("覃", "qin", 0.1), ("武", "wu", 0.1),
    ("戴", "dai", 0.1), ("莫", "mo", 0.1), ("孔", "kong", 0.1), ("向", "xiang", 0.1), ("汤", "tang", 0.1),
    ("欧阳", "ouyang", 0.05), ("上官", "shangguan", 0.02), ("司马", "sima", 0.02), ("诸葛", "zhuge", 0.01),
)
# fmt: on

# (given name, pinyin); older-style and younger-style names mixed
# fmt: off
GIVEN_MALE: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("鹏", "peng"), ("斌", "bin"),
    ("鑫", "xin"), ("波", "bo"), ("辉", "hui"), ("刚", "gang"), ("健", "jian"), ("亮", "liang"),
    ("峰", "feng"), ("俊", "jun"), ("浩然", "haoran"), ("子轩", "zixuan"), ("宇航", "yuhang"),
    ("建国", "jianguo"), ("志强", "zhiqiang"), ("文博", "wenbo"), ("俊杰", "junjie"), ("建华", "jianhua"),
    ("国庆", "guoqing"), ("海涛", "haitao"), ("晓东", "xiaodong"), ("志明", "zhiming"), ("永刚", "yonggang"),
    ("宏伟", "hongwei"), ("明辉", "minghui"), ("家豪", "jiahao"), ("思远", "siyuan"), ("天佑", "tianyou"),
    ("一鸣", "yiming"), ("博文", "bowen"), ("梓豪", "zihao"), ("皓轩", "haoxuan"), ("振华", "zhenhua"),
    ("德胜", "desheng"), ("立新", "lixin"), ("学军", "xuejun"), ("春生", "chunsheng"), ("旭东", "xudong"),
    ("浩宇", "haoyu"), ("晨阳", "chenyang"), ("嘉诚", "jiacheng"), ("云飞", "yunfei"), ("卫东", "weidong"),
)
# fmt: on
# fmt: off
GIVEN_FEMALE: tuple[tuple[str, str], ...] = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
    ("婷", "ting"), ("雪", "xue"), ("玲", "ling"), ("丹", "dan"), ("慧", "hui"), ("倩", "qian"),
    ("颖", "ying"), ("琳", "lin"), ("萍", "ping"), ("红", "hong"), ("霞", "xia"), ("燕", "yan"),
    ("秀英", "xiuying"), ("桂英", "guiying"), ("欣怡", "xinyi"), ("梓涵", "zihan"), ("雨桐", "yutong"),
    ("思雨", "siyu"), ("佳怡", "jiayi"), ("晓燕", "xiaoyan"), ("丽华", "lihua"), ("美玲", "meiling"),
    ("淑珍", "shuzhen"), ("玉兰", "yulan"), ("海燕", "haiyan"), ("雅琴", "yaqin"), ("慧敏", "huimin"),
    ("诗涵", "shihan"), ("可馨", "kexin"), ("语嫣", "yuyan"), ("若曦", "ruoxi"), ("梦瑶", "mengyao"),
    ("静怡", "jingyi"), ("晓雯", "xiaowen"), ("春梅", "chunmei"), ("凤英", "fengying"), ("丽娟", "lijuan"),
    ("婉清", "wanqing"), ("文静", "wenjing"), ("晓丽", "xiaoli"), ("佳琪", "jiaqi"), ("雨欣", "yuxin"),
    ("紫萱", "zixuan"), ("一诺", "yinuo"), ("安琪", "anqi"), ("月华", "yuehua"), ("秀兰", "xiulan"),
)
# fmt: on

# Mobile prefixes in use in mainland China (China Mobile, China Unicom, China Telecom, China Broadnet)
# fmt: off
MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "149",
    "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "171", "172", "173",
    "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
    "189", "190", "191", "192", "193", "195", "196", "197", "198", "199",
)
# fmt: on
# fmt: off
MAIL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("qq.com", 40), ("163.com", 22), ("126.com", 10), ("foxmail.com", 6), ("sina.com", 5),
    ("139.com", 5), ("outlook.com", 5), ("aliyun.com", 3), ("sohu.com", 2), ("gmail.com", 2),
)
# fmt: on
SOCIAL_PLATFORMS: tuple[tuple[str, float], ...] = (
    ("weibo", 45),
    ("douyin", 25),
    ("xiaohongshu", 15),
    ("wechat", 15),
)

_SURNAME_WEIGHTS = tuple(w for _, _, w in SURNAMES)
_DOMAIN_NAMES = tuple(d for d, _ in MAIL_DOMAINS)
_DOMAIN_WEIGHTS = tuple(w for _, w in MAIL_DOMAINS)
_PLATFORMS = tuple(p for p, _ in SOCIAL_PLATFORMS)
_PLATFORM_WEIGHTS = tuple(w for _, w in SOCIAL_PLATFORMS)
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class PersonName:
    surname: str
    given: str
    surname_pinyin: str
    given_pinyin: str
    female: bool

    @property
    def full(self) -> str:
        return self.surname + self.given

    @property
    def polite(self) -> str:
        """How a handler addresses them on the phone: 王先生, 李女士."""
        return self.surname + ("女士" if self.female else "先生")


def person_name(rng: random.Random) -> PersonName:
    surname, surname_pinyin, _ = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    female = rng.random() < 0.5
    given, given_pinyin = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return PersonName(surname, given, surname_pinyin, given_pinyin, female)


def _unique(make, taken: set[str]) -> str:
    value = make()
    while value in taken:
        value = make()
    taken.add(value)
    return value


def mobile_number(rng: random.Random, taken: set[str]) -> str:
    """An 11-digit mainland mobile number (1[3-9]…) not in ``taken``; adds it to ``taken``."""
    return _unique(lambda: rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}", taken)


def email_address(rng: random.Random, name: PersonName, taken: set[str]) -> str:
    """A lower-case address such as ``zhangwei1988@163.com`` or ``285730122@qq.com``."""

    def make() -> str:
        domain = rng.choices(_DOMAIN_NAMES, weights=_DOMAIN_WEIGHTS)[0]
        if domain == "qq.com" and rng.random() < 0.7:
            return f"{rng.randrange(10_000_000, 3_999_999_999)}@qq.com"
        style = rng.randrange(5)
        sur, given = name.surname_pinyin, name.given_pinyin
        if style == 0:
            local = f"{sur}{given}"
        elif style == 1:
            local = f"{given}.{sur}"
        elif style == 2:
            local = f"{sur}{given}{rng.randrange(1960, 2006)}"
        elif style == 3:
            local = f"{sur[0]}{given[0]}{rng.randrange(100, 99999)}"
        else:
            local = f"{sur}_{given}{rng.randrange(10, 100)}"
        if rng.random() < 0.3:
            local += str(rng.randrange(1, 1000))
        return f"{local}@{domain}"

    return _unique(make, taken)


def social_handle(rng: random.Random, taken: set[str]) -> str:
    """An external id for a social-media account, e.g. ``weibo:5829301234``."""

    def make() -> str:
        platform = rng.choices(_PLATFORMS, weights=_PLATFORM_WEIGHTS)[0]
        if platform == "wechat":
            return "wechat:wxid_" + "".join(rng.choice(_ALNUM) for _ in range(12))
        if platform == "douyin":
            return f"douyin:dy{rng.randrange(10**9, 10**10)}"
        return f"{platform}:{rng.randrange(10**9, 10**10)}"

    return _unique(make, taken)

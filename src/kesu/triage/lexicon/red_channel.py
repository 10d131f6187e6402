"""Terms of the red channel (红色预警), written for kesu: personal safety, group incidents, media,
regulator and legal threats, in Chinese and English.

Matching is leftmost-longest over every list and the blockers together, so a blocker that starts
at or before a red term hides it: "火锅" never yields "火", "多媒体" never "媒体", "报警器" never
"报警", "firewall" and "fire station" never "fire". Death words used as internet intensifiers
(笑死, 累死, 气死, 急死人) are not listed as safety terms at all; only forms that speak of a person
dying are (死亡, 身亡, 出人命 …).

Deliberate choices:
* bare "投诉" (complaint) is not red; "投诉到12315" is (regulator).
* "威胁"/"恐吓" alone are not red (debt-collection complaints use them for harassing calls);
  "人身威胁", "人身安全", "扬言要打" are.
* "抖音", "微博", "小红书" alone are not red (they are also shops and news feeds); posting there is
  ("发抖音", "发到微博", "上热搜").
* "暴力催收", "暴力分拣" are not safety; "殴打", "打伤", "被人打" are.
* A question about legal action ("律师函模板是什么", "can I sue?") is flagged: a customer asking how
  to take legal action is preparing one, and the red channel errs on the side of a fast answer.
"""

from __future__ import annotations

SAFETY = "safety"
GROUP_INCIDENT = "group_incident"
MEDIA = "media"
REGULATOR = "regulator"
LEGAL = "legal"
KINDS: tuple[str, ...] = (SAFETY, GROUP_INCIDENT, MEDIA, REGULATOR, LEGAL)

TERMS: dict[str, tuple[str, ...]] = {
    SAFETY: (
        # injuries
        "受伤", "摔伤", "烫伤", "烧伤", "割伤", "砸伤", "撞伤", "咬伤", "刺伤", "扎伤", "夹伤", "划伤了手",
        "打伤", "轻伤", "重伤", "伤势", "伤者", "流血", "骨折", "骨裂", "脑震荡", "昏迷", "晕倒", "昏倒",
        "休克", "抽搐", "窒息", "噎住", "摔倒", "跌倒", "毁容", "致残", "伤亡", "人员伤亡",
        # fire, explosion, electricity, gas, poisoning
        "起火", "着火", "失火", "火灾", "自燃", "冒烟", "冒火", "烧起来了", "爆炸", "爆燃", "炸伤", "漏电",
        "触电", "电击", "电伤", "煤气泄漏", "燃气泄漏", "天然气泄漏", "一氧化碳", "中毒", "食物中毒",
        "上吐下泻", "过敏性休克", "呼吸困难",
        # hospital
        "住院", "送医治疗", "送医救治", "送医抢救", "紧急送医", "被送医", "进了医院", "住进医院", "进医院",
        "送进医院", "去了医院", "急诊", "抢救", "救护车", "icu", "重症监护",
        # death and self-harm
        "死亡", "身亡", "死人了", "出人命", "人命关天", "丧命", "丧生", "遇难", "猝死", "致死", "自杀",
        "跳楼", "轻生", "寻死", "割腕", "喝农药", "不想活了", "活不下去", "不活了", "同归于尽", "以死相逼",
        # violence and threats to the person
        "人身安全", "人身威胁", "生命安全", "生命危险", "安全隐患", "殴打", "打人", "被人打", "被打伤",
        "挨打", "动手打", "扬言要打", "性骚扰", "猥亵", "坍塌", "倒塌",
        # English
        "injured", "injuries", "injure", "injuring", "serious injury", "severe injury", "caused injury",
        "caused an injury", "suffered an injury", "got hurt", "was hurt", "were hurt",
        "been hurt", "badly hurt", "seriously hurt", "hurt myself", "hurt himself", "hurt herself",
        "bleeding", "bled", "broken bone", "broken arm", "broken leg", "broken wrist", "broken ribs",
        "fractured", "fracture", "concussion", "stitches", "unconscious", "passed out", "fainted",
        "fire", "fires", "on fire", "caught fire", "flames", "burst into flames", "explosion",
        "explosions", "exploded", "explode", "explodes", "electrocuted", "electric shock", "gas leak",
        "carbon monoxide", "poisoned", "poisoning", "food poisoning", "choked", "choking",
        "allergic reaction", "anaphylaxis", "anaphylactic", "hospitalized", "hospitalised",
        "rushed to the hospital", "rushed to hospital", "taken to the hospital", "taken to hospital",
        "admitted to the hospital", "admitted to hospital", "ended up in the hospital",
        "ended up in hospital", "sent to the hospital", "emergency room",
        "ambulance", "paramedics", "died after eating", "died after using", "died from", "died because of",
        "died as a result", "killed", "dead body", "fatal", "wrongful death", "caused the death", "suicide",
        "suicidal", "kill myself", "end my life", "self-harm", "self harm", "assault", "assaulted",
        "attacked me", "threatened to kill", "death threat", "death threats", "physical harm",
        "safety hazard", "fire hazard", "life-threatening", "life threatening", "burn injury",
        "severe burns", "got burned", "was burned", "scalded",
    ),
    GROUP_INCIDENT: (
        "集体", "集体投诉", "集体维权", "集体上访", "群体事件", "群体性", "群体投诉", "群体上访", "几十个人",
        "几十人", "几十户", "几十个业主", "几十名", "上百人", "上百户", "上百名", "上百个", "数十人", "数十名",
        "数十户", "数百人", "数百名", "上千人", "上千名", "上千户", "成百上千", "好几十个", "聚集", "围堵",
        "堵门", "堵路", "拉横幅", "拉条幅", "静坐", "游行", "示威", "上访", "联名", "维权群", "组织大家",
        "号召大家", "一起维权",
        "protest", "protests", "protesting", "protesters", "protestors", "picket", "boycott",
        "mass complaint", "collective complaint", "whole neighborhood",
        "whole neighbourhood", "entire neighborhood", "entire neighbourhood", "whole building",
        "entire building", "all the residents", "other victims", "group of customers",
    ),
    MEDIA: (
        "曝光", "媒体", "新闻媒体", "自媒体", "记者", "电视台", "报社", "登报", "上报纸", "央视",
        "焦点访谈", "315晚会", "3·15晚会", "上新闻", "新闻热线", "爆料", "热搜", "微博热搜", "上热搜",
        "发微博", "发到微博", "上微博", "微博曝光", "发抖音", "发到抖音", "上抖音", "发小红书",
        "发到小红书", "发到网上", "发网上", "放到网上", "挂到网上", "挂网上", "网上曝光", "网络曝光",
        "发帖曝光", "发到论坛", "黑猫投诉", "舆论", "公之于众", "让大家都知道", "让所有人都知道", "人民网",
        "journalist", "journalists", "reporter", "reporters", "the press", "news media", "the media",
        "local news", "to the news", "contact the news", "call the news", "tell the news", "news station", "news channel", "news outlet", "news outlets",
        "newspaper", "newspapers", "tv station", "social media", "go viral", "goes viral",
        "going viral", "went viral", "expose you", "expose them",
    ),
    REGULATOR: (
        "12315", "12345", "12300", "12321", "12358", "12366", "12378", "12331", "12365", "消协",
        "消费者协会", "消保委", "消委会", "工商局", "工商部门", "找工商", "工商所", "市场监管局",
        "市场监督管理局", "市监局", "市场监管部门", "质监局", "食药监", "药监局", "工信部", "通信管理局",
        "通管局", "管局", "银保监会", "银监会", "保监会", "证监会", "银保监局", "金融监管总局", "金融监管局",
        "国家金融监督管理总局", "人民银行", "银行业协会", "保险行业协会", "信访", "信访局", "信访办",
        "市长热线", "市长信箱", "政府热线", "纪委", "监察委", "物价局", "发改委", "税务局", "卫健委",
        "卫生局", "住建局", "房管局", "教育局", "人社局", "监管部门", "监管机构", "主管部门", "政府部门",
        "找政府", "网信办",
        "regulator", "regulators", "regulatory agency", "cfpb", "consumer financial protection bureau",
        "ftc", "federal trade commission", "fcc", "federal communications commission", "bbb",
        "better business bureau", "attorney general", "attorneys general", "ombudsman",
        "trading standards", "occ", "fdic", "federal reserve", "department of insurance",
        "insurance commissioner", "public utilities commission", "ofcom", "ofgem", "fca",
        "financial conduct authority", "consumer protection agency", "consumer affairs",
    ),
    LEGAL: (
        "律师", "律师函", "律所", "起诉", "上诉", "诉讼", "诉状", "法院", "法庭", "打官司", "告上法庭",
        "仲裁", "劳动仲裁", "报警", "公安", "公安局", "派出所", "警察", "民警", "经侦",
        "刑警", "刑事", "检察院", "法律途径", "法律手段", "法律程序", "走法律", "诉诸法律", "追究法律责任",
        "法律责任", "依法追究", "司法", "告你们", "告他们", "告到底",
        "lawyer", "lawyers", "attorney", "attorneys", "legal counsel", "sue", "suing", "sued",
        "lawsuit", "lawsuits", "court", "courts", "small claims", "legal action", "legal proceedings",
        "litigation", "class action", "arbitration", "police", "cops", "law enforcement",
        "press charges", "file charges", "criminal complaint",
    ),
}

# Longer phrases that contain a red term but are not red. A blocker hides a term it overlaps when
# it starts at or before it.
BLOCKERS: tuple[str, ...] = (
    # safety look-alikes
    "心灵受伤", "心受伤", "受伤的心", "感情受伤", "火锅", "起火锅", "着火锅", "火爆", "爆炸头", "信息爆炸",
    "爆炸性", "爆炸式", "到爆炸", "中毒太深", "游戏中毒", "电脑中毒", "手机中毒", "中毒了一样", "死亡笔记",
    "跳楼价", "跳楼大甩卖", "跳楼甩卖", "自杀式", "令人窒息", "窒息的操作", "窒息操作", "嗓子冒烟",
    "喉咙冒烟", "触电的感觉", "触电般", "打人工", "住院费", "住院报销", "住院医疗", "住院津贴", "住院险",
    "住院理赔", "住院部", "住院押金", "住院补贴", "住院费用", "住院定额", "住院给付", "住院保障", "住院责任", "住院保险", "死亡赔付", "死亡保险", "死亡证明", "集体户", "集体宿舍", "集体经济", "集体所有", "集体土地", "集体照", "集体婚礼", "集体活动",
    "集体生活", "集体荣誉", "集体主义", "集体合同", "村集体", "集体企业", "流血价", "爆炸新闻", "严重伤",
    "气死人", "急死人", "吓死人", "烦死人", "累死人", "笑死人", "坑死人", "热死人", "冷死人", "冻死人",
    "馋死人", "臭死人", "丑死人", "难死人", "疼死人", "愁死人", "慢死人", "饿死人", "闷死人", "恶心死人",
    "折腾死人", "饿出人命", "吓出人命",
    # media look-alikes
    "曝光度", "曝光过度", "曝光不足", "曝光补偿", "曝光时间", "曝光率", "自动曝光", "长曝光", "曝光值",
    "多媒体", "流媒体", "媒体播放", "媒体文件", "记者证",
    # legal look-alikes
    "报警器", "报警灯", "报警声", "报警系统", "自动报警", "报警装置", "报警功能", "报警提示", "报警信息",
    "一键报警", "故障报警", "司法考试",
    # English look-alikes
    "fire station", "fire department", "fire alarm", "fire alarms", "fire exit", "fire drill",
    "fire extinguisher", "fire insurance", "fire sale", "fire tv", "fire stick", "fire tablet",
    "kindle fire", "fire hd", "fire safety", "fire hydrant", "fire fighters", "fire him", "fire her",
    "fire them", "fire you", "fire the", "fire that", "fire your", "fire this", "under fire",
    "cease fire", "rapid fire", "media player", "media file", "media files", "media server",
    "media center", "media centre", "storage media", "social media manager", "food court",
    "tennis court", "basketball court", "court yard", "power of attorney", "death certificate",
    "to death",
)

# Spoken numbers and crowd sizes, as regular expressions: (kind, pattern).
PATTERNS: tuple[tuple[str, str], ...] = (
    (LEGAL, r"(?:打|报|拨打|拨|叫|找|报了|打了)\s*110(?![0-9])"),
    (SAFETY, r"(?:打|拨打|拨|叫|叫了|打了)\s*120(?![0-9])|120急救"),
    (SAFETY, r"(?:打|拨打|拨|叫|叫了|打了)\s*119(?![0-9])|119火警"),
    (
        GROUP_INCIDENT,
        r"(?<![0-9])(?:[2-9][0-9]|[0-9]{3,}|[二三四五六七八九两]十|[一两几数上近][百千万]|几十|数十)"
        r"[余多来几]?\s*[个名位户家]?(?:人|户|业主|用户|客户|消费者|居民|村民|家长|学员|会员|员工|工人|受害者"
        r"|投资者|储户|乘客|租户|住户)(?![份餐套桌座民次口分间均工])",
    ),
    (
        GROUP_INCIDENT,
        r"(?i:\b(?:dozens|hundreds|thousands|scores)\s+of\s+(?:other\s+)?(?:customers|people|residents|users"
        r"|families|households|subscribers|consumers|victims|homeowners|tenants|neighbou?rs|members|clients"
        r"|borrowers|employees|us)\b)",
    ),
    (
        GROUP_INCIDENT,
        r"(?i:\b(?:[2-9][0-9]|[0-9]{3,})\s+(?:other\s+)?(?:customers|residents|households|families|subscribers"
        r"|consumers|victims|homeowners|tenants|neighbou?rs)\b)",
    ),
    (
        MEDIA,
        r"(?i:\b(?:post|posting|posted|share|sharing|put|putting|spread|spreading)\b(?:\s+\w+){0,3}?\s+"
        r"(?:online|on\s+(?:twitter|x|facebook|instagram|tiktok|reddit|youtube|social\s+media)|all\s+over"
        r"\s+(?:the\s+)?(?:internet|social\s+media))\b)",
    ),
)

# Negation: a red term is not a threat or an incident when, in its own clause, it follows one of
# these cues with only the filler words below in between ("没有人受伤", "不会去曝光", "我不是要起诉",
# "nobody was injured", "I'm not going to sue"). Content in between breaks the link: "再不处理就起诉",
# "if you don't refund I will sue" stay red.
NEGATION_CUES_ZH: tuple[str, ...] = (
    "没有", "没", "无", "未", "并未", "从未", "尚未", "不", "别", "不会", "不想", "不要", "不是", "不打算",
    "没打算", "无需", "不用", "不必", "不需要", "防止", "避免", "以免", "以防", "预防", "谨防", "严禁",
    "禁止", "幸好没", "幸亏没", "好在没", "还好没",
)
NEGATION_FILLERS_ZH: tuple[str, ...] = (
    "会", "要", "想", "打算", "准备", "需要", "用", "必", "是", "去", "再", "有", "人", "任何", "任何人",
    "谁", "一个人", "一人", "人员", "被", "造成", "导致", "出现", "发生", "发生过", "引起", "受到", "受",
    "到", "过", "还", "真的", "至于", "了", "的", "想要", "来", "什么", "找", "请", "出", "起", "起来",
    "其他人", "别人", "大家", "家人", "孩子", "宝宝", "老人", "我们", "我", "他", "她", "他们", "因此",
    "因为这个", "为这事", "为此", "就", "也", "都", "在", "跟你们", "和你们", "把事情", "把这件事",
)
NEGATION_CUES_EN: tuple[str, ...] = (
    "no", "not", "never", "nobody", "no one", "none", "without", "neither", "nor", "cannot", "avoid",
    "avoided", "prevent", "prevented", "preventing", "n't",
)
NEGATION_FILLERS_EN: tuple[str, ...] = (
    "be", "been", "was", "were", "is", "are", "am", "being", "going", "gonna", "to", "want", "wanting",
    "intend", "intending", "plan", "planning", "will", "would", "get", "got", "getting", "have", "had",
    "has", "one", "anyone", "anybody", "person", "people", "customer", "customers", "the", "a", "an",
    "any", "call", "calling", "called", "contact", "contacting", "contacted", "involve", "involving",
    "involved", "take", "taking", "need", "needed", "report", "reported", "reporting", "file", "filing",
    "filed", "seriously", "actually", "really", "yet", "ever", "even", "i", "we", "so", "far",
    "thankfully", "luckily", "fortunately", "go", "going", "went", "threaten", "threatening", "my",
    "our", "your", "this", "it", "there", "further", "physically", "goes", "more", "other", "others",
)

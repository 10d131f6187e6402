"""Terms and context cues of the red channel (红色预警), written for kesu, Chinese and English.

A red complaint is one a centre must answer within 30 minutes: acute danger to someone's safety or
health, people acting together (a hinted collective protest), a media or brand-crisis threat by
the customer, the customer's current threat or fact of escalation to a regulator or authority, or
the customer's legal action. What is *not* red: the same words in advice or policy text, numbers in
product names, history told as background, the other side's threats (a lender threatening to sue
the customer), a letter addressed to a hotline that happens to name it.

So a term alone decides little; `triage/redchannel.py` reads its context. The terms come in tiers:

* ``INCIDENT`` terms (an injury, a fire, food that made someone ill) are red where they stand,
  unless negated, or told in an insurance claim or policy text; ``HARM`` terms (self-harm, violence,
  threats to life) are red wherever they are not negated.
* ``ACT`` terms are the customer's own act or threat ("起诉", "报警", "曝光", "集体投诉", "sue"):
  red unless the context gives them to someone else (negation, advice, policy, history, the other
  side as the one acting, a question).
* ``NOUN`` terms name an authority, a court, the press ("律师", "法院", "银保监会", "记者",
  "the press"): red only when the customer turns to it — an escalation verb next to it ("向…投诉",
  "找律师", "要求…介入", "contact the press") or the customer's intent in the clause — and nothing
  gives it to someone else.
* ``CHANNEL`` terms are hotlines and complaint platforms a letter is often *addressed* to
  ("12345", "市长热线", "黑猫投诉"): red only as an explicit threat ("再不处理我就打12345").

Crowd sizes ("几十个业主", "200多户") are red only together with a collective action in the same
sentence ("…一起去售楼处维权"); a number before 客户/人 alone ("88客户", "共90个人") is not.
"""

from __future__ import annotations

SAFETY = "safety"
GROUP_INCIDENT = "group_incident"
MEDIA = "media"
REGULATOR = "regulator"
LEGAL = "legal"
KINDS: tuple[str, ...] = (SAFETY, GROUP_INCIDENT, MEDIA, REGULATOR, LEGAL)

INCIDENT = "incident"
HARM = "harm"
ACT = "act"
NOUN = "noun"
CHANNEL = "channel"
TIERS: tuple[str, ...] = (INCIDENT, HARM, ACT, NOUN, CHANNEL)

# (kind, tier) -> terms
TERMS: dict[tuple[str, str], tuple[str, ...]] = {
    (SAFETY, INCIDENT): (
        # injuries
        "受伤", "摔伤", "烫伤", "烧伤", "割伤", "砸伤", "撞伤", "咬伤", "刺伤", "扎伤", "夹伤", "划伤了手",
        "打伤", "轻伤", "重伤", "伤势", "伤者", "流血", "骨折", "骨裂", "脑震荡", "昏迷", "晕倒", "昏倒",
        "休克", "抽搐", "窒息", "噎住", "毁容", "致残", "伤亡", "人员伤亡", "头破血流",
        # fire, explosion, electricity, gas, poisoning, food that made someone ill
        "起火", "着火", "失火", "火灾", "自燃", "冒烟", "冒火", "烧起来了", "爆炸", "爆燃", "炸伤", "漏电",
        "触电", "电击", "电伤", "煤气泄漏", "燃气泄漏", "天然气泄漏", "漏气", "一氧化碳", "中毒", "食物中毒",
        "上吐下泻", "又拉又吐", "又吐又拉", "过敏性休克", "呼吸困难", "肠胃炎", "急性肠胃炎",
        # taken to hospital (not "住院" alone: in insurance complaints it is a claim, not an emergency)
        "送医治疗", "送医救治", "送医抢救", "紧急送医", "被送医", "进了医院", "住进医院", "住进了医院",
        "送进医院", "送到医院", "送去医院", "去了急诊", "急诊", "抢救", "救护车", "icu", "重症监护",
        # English
        "injured", "injuries", "injure", "injuring", "serious injury", "severe injury", "caused injury",
        "caused an injury", "suffered an injury", "got hurt", "was hurt", "were hurt",
        "been hurt", "badly hurt", "seriously hurt", "hurt myself", "hurt himself", "hurt herself",
        "bleeding", "bled", "broken bone", "broken arm", "broken leg", "broken wrist", "broken ribs",
        "fractured", "concussion", "stitches", "unconscious", "passed out", "fainted",
        "on fire", "caught fire", "caught on fire", "flames", "burst into flames", "explosion",
        "exploded", "electrocuted", "electric shock", "gas leak", "carbon monoxide", "food poisoning",
        "poisoned", "choked", "choking", "allergic reaction", "anaphylaxis", "anaphylactic",
        "rushed to the hospital", "rushed to hospital", "taken to the hospital", "taken to hospital",
        "ended up in the hospital", "ended up in hospital", "emergency room", "ambulance", "paramedics",
        "died after eating", "died after using", "life-threatening", "life threatening", "severe burns", "got burned",
        "was burned", "scalded", "fire hazard",
    ),
    (SAFETY, HARM): (
        # death and self-harm
        "死人了", "出人命", "人命关天", "丧命", "丧生", "遇难", "猝死", "自杀", "跳楼", "轻生", "寻死",
        "寻短见", "割腕", "喝农药", "喝药", "服毒", "毒药", "不想活了", "不想活", "活不下去", "不活了",
        "活着没意思", "活着没有意思", "活着没啥意思", "活着没意义", "活着没啥意义", "活着没什么意义",
        "活着没有意义", "一死了之", "同归于尽", "以死相逼", "死给你们看", "结束自己的生命", "结束生命",
        # violence and threats to the person
        "人身安全", "人身威胁", "生命安全", "生命危险", "殴打", "打人", "被人打", "被打伤", "挨打",
        "动手打", "扬言要打", "追杀", "砍人", "杀人", "弄死", "打死你", "砍死", "性骚扰", "猥亵",
        "坍塌", "倒塌",
        "suicide", "suicidal", "kill myself", "end my life", "self-harm", "self harm", "assaulted", "attacked me",
        "threatened to kill", "death threat", "death threats",
    ),
    (GROUP_INCIDENT, ACT): (
        "集体投诉", "集体维权", "集体上访", "集体起诉", "集体诉讼", "集体举报", "集体去", "群体事件",
        "群体性事件", "群体投诉", "群体上访", "群体维权", "联名投诉", "联名举报", "联名上书", "联名信", "维权群",
        "维权队伍", "组团维权", "抱团维权", "一起维权", "共同维权", "联合维权", "组织大家", "号召大家",
        "拉横幅", "拉条幅", "挂横幅", "打横幅", "围堵", "堵门", "堵路", "静坐", "游行", "示威", "上访",
        "越级上访",
        "protest", "protests", "protesting", "protesters", "protestors", "picket", "boycott",
        "mass complaint", "collective complaint", "class action",
    ),
    (MEDIA, ACT): (
        "曝光", "登报", "上报纸", "上新闻", "爆料", "上热搜", "发微博", "发到微博", "上微博", "微博曝光",
        "发抖音", "发到抖音", "上抖音", "发小红书", "发到小红书", "发到网上", "发网上", "放到网上", "挂到网上",
        "挂网上", "网上曝光", "网络曝光", "发帖曝光", "发到论坛", "公之于众", "让大家都知道", "让所有人都知道",
        "媒体采访", "接受采访", "舆论",
        "go viral", "goes viral", "going viral", "went viral", "expose you", "expose them", "expose your",
    ),
    (MEDIA, NOUN): (
        "媒体", "新闻媒体", "自媒体", "记者", "电视台", "报社", "央视", "焦点访谈", "315晚会", "3·15晚会",
        "新闻热线", "人民网",
        "journalist", "journalists", "reporter", "reporters", "the press", "news media", "the media",
        "local news", "the news", "news station", "news channel", "news outlet", "news outlets",
        "newspaper", "newspapers", "tv station", "social media",
    ),
    (MEDIA, CHANNEL): ("黑猫投诉", "黑猫平台", "黑猫"),
    (REGULATOR, NOUN): (
        "12315", "12300", "12321", "12358", "12366", "12378", "12331", "12365", "消协", "消费者协会",
        "消保委", "消委会", "工商局", "工商部门", "工商所", "市场监管局", "市场监督管理局", "市监局",
        "市场监管部门", "质监局", "食药监", "药监局", "工信部", "通信管理局", "通管局", "银保监会", "银监会",
        "保监会", "证监会", "银保监", "银保监局", "上级部门", "上级主管部门", "上级主管单位", "银监局", "保监局", "金融监管总局", "金融监管局", "国家金融监督管理总局",
        "人民银行", "央行", "金融监督管理局", "地方金融监督管理局", "金融办", "银行业协会", "保险行业协会", "信访局", "信访办", "纪委", "监察委", "物价局",
        "发改委", "税务局", "卫健委", "卫生局", "住建局", "房管局", "教育局", "人社局", "监管部门",
        "监管机构", "监管局", "主管部门", "网信办",
        "regulator", "regulators", "regulatory agency", "cfpb", "consumer financial protection bureau",
        "ftc", "federal trade commission", "fcc", "federal communications commission", "bbb",
        "better business bureau", "attorney general", "attorneys general", "ombudsman",
        "trading standards", "occ", "fdic", "department of insurance", "insurance commissioner",
        "public utilities commission", "ofcom", "ofgem", "fca", "financial conduct authority",
        "consumer protection agency",
    ),
    (REGULATOR, ACT): ("越级投诉", "信访", "找政府", "找工商", "投诉到工信部", "申诉到工信部"),
    (REGULATOR, CHANNEL): (
        "12345", "市长热线", "市长信箱", "政府热线", "便民热线", "民生热线", "网络问政", "政府部门", "有关部门",
        "相关部门", "政府",
    ),
    (LEGAL, ACT): (
        "起诉", "上诉", "诉讼", "诉状", "打官司", "告上法庭", "仲裁", "劳动仲裁", "报警", "报案",
        "立案", "法律途径", "法律手段", "法律程序", "走法律", "诉诸法律", "追究法律责任", "追究责任",
        "追究你们", "法律援助", "寻求法律", "通过法律", "法律维权", "依法维权", "告你们", "告他们", "告到底", "上法院", "法庭上见", "法院见",
        "sue", "suing", "lawsuit", "small claims", "legal action", "legal proceedings", "litigation",
        "arbitration", "press charges", "file charges", "criminal complaint", "police report",
        "take you to court", "take them to court", "see you in court",
    ),
    (LEGAL, NOUN): (
        "律师", "律所", "律师事务所", "律师函", "法院", "法庭", "公安", "公安局", "公安机关", "派出所", "警察", "民警",
        "经侦", "刑警", "警方", "警局", "检察院", "司法机关",
        "lawyer", "lawyers", "attorney", "attorneys", "legal counsel", "court", "courts", "police",
        "cops", "law enforcement",
    ),
}

# Longer words that contain a term but are something else. Matching is leftmost-longest over the
# terms and these together, so a blocker that starts at or before a term hides it; jieba's word
# boundaries (redchannel.py) catch what no list could ("公司法人" is not "司法", "并报社区" not "报社").
BLOCKERS: tuple[str, ...] = (
    # safety look-alikes
    "密集性骚扰", "集中性骚扰", "频繁性骚扰", "持续性骚扰", "恶意性骚扰", "长期性骚扰", "心灵受伤", "心受伤", "受伤的心", "感情受伤", "火锅", "起火锅", "着火锅", "火爆", "爆炸头", "信息爆炸",
    "爆炸性", "爆炸式", "到爆炸", "中毒太深", "游戏中毒", "电脑中毒", "手机中毒", "中毒了一样", "跳楼价",
    "跳楼大甩卖", "跳楼甩卖", "自杀式", "令人窒息", "窒息的操作", "窒息操作", "嗓子冒烟", "喉咙冒烟",
    "触电的感觉", "触电般", "打人工", "流血价", "爆炸新闻", "气死人", "急死人", "吓死人", "烦死人",
    "累死人", "笑死人", "坑死人", "热死人", "冷死人", "冻死人", "馋死人", "臭死人", "丑死人", "难死人",
    "疼死人", "愁死人", "慢死人", "饿死人", "闷死人", "恶心死人", "折腾死人", "饿出人命", "吓出人命",
    "抢救费", "抢救费用", "人身安全险", "人身意外", "生命安全险", "毒药一样", "电击枪",
    # media look-alikes
    "曝光度", "曝光过度", "曝光不足", "曝光补偿", "曝光时间", "曝光率", "自动曝光", "长曝光", "曝光值",
    "多媒体", "流媒体", "媒体播放", "媒体文件", "记者证", "融媒体",
    # legal / regulator look-alikes
    "报警器", "报警灯", "报警声", "报警系统", "自动报警", "报警装置", "报警功能", "报警提示", "报警信息",
    "一键报警", "故障报警", "报警电话", "报警按钮", "报警铃", "司法考试", "立案登记", "工商银行", "工商注册", "工商登记", "工商信息", "工商执照",
    "人民银行征信", "央行征信", "人行征信", "征信中心", "诉讼时效", "仲裁条款", "起诉状模板",
    "集体户", "集体宿舍", "集体经济", "集体所有", "集体土地", "集体照", "集体婚礼", "集体活动", "集体生活",
    "集体荣誉", "集体主义", "集体合同", "村集体", "集体企业", "联名信用卡", "联名卡", "联名款",
    # English look-alikes
    "fire station", "fire department", "fire alarm", "fire alarms", "fire exit", "fire drill",
    "fire extinguisher", "fire insurance", "fire sale", "fire tv", "fire stick", "fire tablet",
    "kindle fire", "fire hd", "fire safety", "fire hydrant", "fire fighters", "under fire", "cease fire",
    "rapid fire", "media player", "media file", "media files", "media server", "media center",
    "media centre", "storage media", "social media manager", "food court", "tennis court",
    "basketball court", "court yard", "power of attorney", "death certificate", "to death",
    "police station", "police officer's", "attorney's office", "court order", "court orders",
    "court ordered", "court-ordered", "court costs", "court fees", "court date",
)

# Patterns (kind, tier, regex) for spoken numbers and phrases a word list cannot hold.
PATTERNS: tuple[tuple[str, str, str], ...] = (
    (LEGAL, ACT, r"(?:打|报|拨打|拨|叫|找|报了|打了)\s*110(?![0-9])"),
    (SAFETY, INCIDENT, r"(?:打|拨打|拨|叫|叫了|打了)\s*120(?![0-9])|120急救"),
    (SAFETY, INCIDENT, r"(?:打|拨打|拨|叫|叫了|打了)\s*119(?![0-9])|119火警"),
    # a person harmed by what they ate or used, then hospital, vomiting, diarrhoea
    (SAFETY, INCIDENT, r"(?:吃|喝|用|食用|服用)(?:了|完|过|后|下)[^。！？；\n]{0,16}?"
                       r"(?:拉肚子|腹泻|呕吐|吐出来|吐了一晚|住院|进医院|去医院|送医|过敏|食物中毒|肚子疼|肚子痛|胃疼|"
                       r"胃痛|腹痛|胃难受|发烧)"),
    (LEGAL, ACT, r"追究[^，。！？；\n]{0,8}?(?:法律)?责任"),
    (SAFETY, INCIDENT, r"(?:被|遭|挨)[^，。！？；\n]{0,6}?(?:打|砍|撞|烫|电|砸)[^，。！？；\n]{0,6}?住院"),
    (SAFETY, INCIDENT, r"(?i:\b(?:went|go|had to go|rushed|was rushed|were rushed)\s+(?:to\s+)?(?:the\s+)?"
                       r"(?:hospital|er|emergency room)\b)"),
)

# Crowd sizes; red only with a collective action (below) in the same sentence.
CROWD_ZH = (
    r"(?<![0-9A-Za-z])(?:[2-9][0-9]|[0-9]{3,}|[二三四五六七八九两]十|[一两几数上近][百千万]|几十|数十|好几十|成百上千)"
    r"[余多来几]?\s*(?:个|名|位|户|家)?\s*(?:人|户|业主|用户|客户|消费者|居民|村民|家长|学员|会员|员工|工人|"
    r"受害者|受害人|投资者|投资人|储户|乘客|租户|住户|借款人|车主|同事|农民工)"
)
CROWD_EN = (
    r"(?i:\b(?:dozens|hundreds|thousands|scores|many|several|a\s+group)\s+of\s+(?:other\s+)?(?:customers|people|"
    r"residents|users|families|households|subscribers|consumers|victims|homeowners|tenants|neighbou?rs|members|"
    r"clients|borrowers|employees|us)\b|\b(?:[2-9][0-9]|[0-9]{3,})\s+(?:other\s+)?(?:customers|residents|"
    r"households|families|subscribers|consumers|victims|homeowners|tenants|neighbou?rs)\b)"
)
COLLECTIVE_ACTION_ZH = (
    r"一起|一同|共同|联合|集体|组团|结伴|抱团|联名|维权|上访|讨说法|讨个说法|讨要|聚集|围堵|堵|拉横幅|静坐|闹事|"
    r"找上门|都(?:要|会|准备|打算|去)?(?:投诉|起诉|举报|报警|曝光)|去.{0,8}?(?:公司|营业厅|门店|总部|售楼处|政府|门口|办公室)"
)
COLLECTIVE_ACTION_EN = (
    r"(?i:\b(?:together|protest|protesting|join(?:ed|ing)?|organi[sz](?:e|ed|ing)|class\s+action|sue|suing|"
    r"petition|boycott|picket|lawsuit|file\s+complaints?)\b)"
)

# --- the context cues ----------------------------------------------------------------------------
# Chinese cues are regular-expression alternatives; English cues are words/phrases (matched whole).

# The customer's own intent, threat or condition ("再不处理我就…", "准备…", "如果…就…"): the customer as
# subject with a modal verb, a condition, the customer reported in the third person (work orders and
# hotline letters: "用户表示将…", "来电人称…"), a demand, or an act now.
FIRST_PERSON_ZH = (
    r"(?:我|本人|我们|俺|咱)(?:也|还|就|都|一定|必须|肯定|只能|只好|现在|现|已|马上|立即|今天|明天|会|将|要|真的|直接|再)*"
    r"(?:要|会|将|准备|打算|决定|去|已|已经|只能|只好|必|一定|就|找|向|直接|坚决|宁愿|保留|考虑|正在|正|请|委托|联系|寻求|"
    r"投诉|举报|起诉|报警|申请|提起|诉|把|通过)"
)
CUSTOMER_THIRD_PERSON_ZH = (
    r"(?:用户|客户|来电人|来电者|市民|投诉人|诉求人|反映人|业主|消费者|该用户|该客户|用户本人|客户本人)"
    r"(?:表示|称|声称|扬言|要求|强烈要求|坚持|准备|打算|说|已|已经|将|会|要)"
)
INTENT_ZH = (
    "准备", "打算", "决定", "一定会", "一定要", "必将", "必定", "坚决", "只能", "只好", "不得不", "将会",
    "会去", "要去", "将向", "会向", "就向", "就去", "就找", "就打", "再不", "否则", "不然", "如果", "如不",
    "若不", "若再", "如再", "要是", "倘若", "假如", "保留", "考虑", "寻求", "要求", "强烈要求", "现依照",
    "现依据", "现要求", "已经", "已向", "已在", "已到", "已去", "已找", "已报", "刚刚", "马上", "立即", "立刻",
    "正在", "现已", "现在就", "将要", "就要", "去找", "找了", "请了", "委托", "声明", "上告", "告到",
)
# Appeals to a body ("希望…帮帮我", "恳请…解决") are a letter's addressee, not an escalation, unless
# they ask it to act against the other side ("…介入调查").
APPEAL_ZH = r"希望|恳请|请求|求求|求|望|盼|拜托|烦请|麻烦|感谢|谢谢|尊敬的|您好|你好"
APPEAL_TO_BODY_ZH = r"(?:^|[^申邀聘])请(?:求)?[\u4e00-\u9fff]{0,4}$"  # "请银保监局…", not "请律师" (hiring one)
INTERVENE_ZH = r"介入|查处|调查|严查|核查|彻查|检查|处罚|严惩|惩处|取缔|立案|追究|整顿|约谈|查办|督查"
# The other side's own ("对方委托的律所", "银行的法务") or done to the customer ("对我提起诉讼").
OTHER_OWNED_ZH = (
    r"(?:对方|他们|她们|银行|公司|平台|催收|贷款方|机构|你们|贵司|贵公司|商家|店家|保险公司)"
    r"(?:的|所|委托的|聘请的|请的|找的|雇的|所委托的)[^，。！？；\s]{0,6}$"
    r"|(?:委托的|聘请的|所委托的|雇的|委托了|聘请了)[^，。！？；\s]{0,6}$"
)
DONE_TO_ME_ZH = r"(?:对|向|把|将|给|跟)(?:我|本人|借款人|持卡人|我家人|我的家人)(?:进行|提起|采取|发起|申请)?$"
# A term right before a verb of saying is a speaker ("律师说…", "警察称…"), not a step.
SPEAKER_AFTER_ZH = r"^(?:也|还|就|都)?(?:说|称|讲|表示|告诉|回复|答复|认为|解释|建议|让|叫|问)"
# Senses of a term that are not red, read from its sentence: "报案" to an insurer is a claim,
# "人民银行" with 征信 the credit reference system.
SENSES_ZH: dict[str, str] = {
    "报案": r"保险|理赔|出险|报案号|赔付",
    "人民银行": r"征信|信用信息|信用记录|数据库|报送|上报|利率|基准|规定|标准|批准|备案|报价|贷款市场|上浮|牌照",
    "央行": r"征信|信用信息|信用记录|数据库|报送|上报|利率|基准|规定|标准|批准|备案|报价|贷款市场|上浮|牌照",
    "立案": r"理赔|保险|车险|险|赔付|定损|工单|受理",
    "政府": r"补贴|政策|规定|扶持|文件|通知|号召|要求(?!.*投诉)",
}
INTENT_EN = (
    "i will", "i'll", "i am going to", "i'm going to", "i'm gonna", "we will", "we'll", "we are going to",
    "we're going to", "i plan to", "i intend to", "i have", "i've", "i had to", "i am", "i'm", "we have",
    "we've", "i contacted", "i called", "i filed", "i reported", "i hired", "i retained", "i spoke",
    "otherwise", "or else", "unless", "if you", "if this", "if i", "if they", "if not", "i may", "i might",
    "i would", "i'd", "i need to", "i want to", "i wish to", "my next step", "next step", "i reserve",
    "prepared to", "ready to", "consider", "considering", "will be", "have no choice", "will result in",
    "will lead to", "forced to", "no choice but",
)
# The other side as the one acting: a collector threatening to sue, a lender reporting to the
# credit bureau. Checked before the term in its sentence (subjects and threat verbs) and right
# after it (the customer as the object: "起诉我", "sue me").
OTHER_SPEECH_ZH = (  # the other side speaking or threatening: what follows in the sentence is theirs
    "威胁", "恐吓", "吓唬", "扬言", "声称", "放话", "放言", "要挟", "对方说", "对方称", "对方表示",
    "他们说", "他们称", "他们还说", "她们说", "客服说", "客服称", "客服表示", "工作人员说", "工作人员称",
    "业务员说", "经理说", "他说", "她说", "还说", "就说", "又说", "说要", "说会", "说将", "称要", "称会",
    "称将", "告知", "通知我", "告诉我", "却说", "竟说", "竟然说", "居然说", "表明",
)
OTHER_SPEAKER_ZH = (
    r"(?:公司|银行|平台|催收|外包|第三方|客服|工作人员|业务员|经理|法务|对方|他们|她们|他|她|人员|机构|商家|店家|骑手|"
    r"快递员|专员|主管|领导|律师|那边|官方)(?:员|部|部门|人员|的人|那边)*(?:一直|还|又|就|也|却|竟然|居然|直接|则|便|都|多次|"
    r"不断|反复|并|并且|已|已经|还要|又要)?(?:说|称|讲|表示|表明|回复|答复|告诉我|通知|扬言|声称|威胁|恐吓|警告|委托|聘请|请了|找了|要求|发|寄|要|会|将)"
)
OTHER_PARTY_ZH = (  # the other side named in the clause, or something done to the customer
    "催收", "催款", "催债", "法务", "贷后", "委外", "外包", "第三方", "债权人", "要把我", "要将我", "给我发",
    "发给我", "寄给我", "寄到我", "发到我", "收到", "接到", "被", "遭", "让我", "叫我", "要我", "建议我", "推我",
    "劝我", "说让", "说叫", "虚假", "假的", "冒充", "自称", "伪造", "谎称",
)
OTHER_OBJECT_ZH = (
    "我", "本人", "借款人", "持卡人", "债务人", "我家", "我的家人", "家人", "父母", "亲戚",
    "朋友", "联系人", "紧急联系人", "通讯录",
)
OTHER_SIDE_EN = (
    "threatened", "threatening", "threaten", "threatens", "threat", "they said", "he said", "she said",
    "they told me", "told me they", "they will", "they would", "they are going to", "they're going to",
    "the collector", "collectors", "collection agency", "debt collector", "the agent", "the representative",
    "their lawyer", "their attorney", "their attorneys", "their lawyers", "they sued", "was sued",
    "been sued", "being sued", "served", "received", "got a letter", "advised me", "told me to",
    "asked me to", "suggested", "recommended", "instructed me", "they filed", "the company filed",
    "the bank filed", "on behalf of", "against me", "sued me", "suing me", "sue me",
)
# Advice and policy text: what one may or should do, what the law provides, what a body does.
ADVICE_ZH = (
    "建议", "提醒", "告诫", "提示", "请您", "您可以", "你可以", "你们可以", "您们可以", "可以直接", "可自行", "应当", "应该",
    "务必", "如遇", "如有", "若遇", "遇到", "谨防", "切勿", "不要理会", "或打", "或者打", "或拨打", "或向",
    "或者向", "可向", "可以向", "可拨打", "请及时", "及时报警", "注意",
)
TELL_OTHER_ZH = (  # the customer tells the other side to take the step: theirs, even after "如果"
    "请走", "请你们", "你们走", "你们去", "让你们", "叫你们", "你们可以", "那你们",
)
POLICY_ZH = (
    "依法处理", "依法追究", "依法查处", "依法打击", "交由", "移交", "移送", "交给公安", "规定", "条例",
    "管理办法", "暂行办法", "实施办法", "《", "》", "第[一二三四五六七八九十百零0-9]+条", "法律法规", "依照法律",
    "法律规定", "按照规定", "有权", "责任由", "概不负责",
)
# An injury told in an insurance claim is the claim's subject, not an emergency.
INSURANCE_ZH = (
    "保险", "理赔", "赔付", "保额", "保单", "条款", "险种", "投保", "承保", "免责", "意外险", "健康险", "医疗险",
    "重疾", "身故", "全残", "报案", "出险", "保费", "住院证明", "病历",
)
ADVICE_EN = (
    "you can", "you may", "you should", "you could", "please contact", "advised", "advise", "recommend",
    "recommended", "suggest", "suggested", "encouraged", "if you have", "should you", "in case of",
    "according to", "under the", "pursuant to", "as required by", "the law", "law states", "regulation",
    "regulations", "section", "act", "policy", "terms and conditions", "coverage", "covered", "claim",
)
# History told as background: an earlier step, without the present in the same clause.
HISTORY_ZH = (
    "之前", "以前", "曾经", "曾", "上次", "当时", "当初", "起初", "刚开始", "一开始", "早前", "先前", "此前",
    "去年", "前年", "那时", "那会", "多年前", "年前", "过[，。,.]", "报过", "投诉过", "起诉过", "找过",
    "打过", "反映过", "申诉过", "举报过", "问过", "咨询过", "后来", "来着", "[0-9]{4}年[0-9]{1,2}月",
    "上个月", "上周", "前段时间", "那次",
)
HISTORY_FAILED_ZH = (
    r"(?:都|也|均|一直|始终)?(?:没有|没|未|无人|没人|不予|不)(?:人)?(?:处理|解决|回复|答复|受理|下文|结果|用|管|理|接听|接|"
    r"回应|回音|搭理)"
)
PRESENT_ZH = (
    "现在", "目前", "如今", "现已", "现要", "今天", "昨天", "刚刚", "已经", "再", "将", "会", "要", "准备",
    "打算", "马上", "立即", "立刻", "正在", "如果", "否则", "不然",
)
HISTORY_EN = (
    "previously", "earlier", "last year", "years ago", "months ago", "in the past", "at the time",
    "back then", "prior", "before that", "had filed", "had contacted", "had called", "had reported",
    "once",
)
PRESENT_EN = ("now", "today", "will", "going to", "currently", "again", "unless", "otherwise", "if")
# The customer turning to a body: a verb next to a NOUN term ("向…投诉", "找律师", "…介入").
ESCALATE_BEFORE_ZH = (
    "向", "给", "到", "找", "去", "上", "请", "联系", "打给", "致电", "拨打", "打", "寄", "邮寄", "寄给",
    "委托", "聘请", "请了", "找了", "报", "提交", "递交", "告到", "告", "求助", "诉至", "投诉至", "投诉到",
    "举报到", "申诉到", "反映到", "上报", "交给", "递到", "起诉到", "求助于",
)
ESCALATE_AFTER_ZH = (
    "投诉", "举报", "反映", "申诉", "介入", "处理", "起诉", "报案", "曝光", "立案", "查处", "调查",
    "监管", "主持公道", "讨说法", "维权", "上访", "打官司", "采访", "报道", "出面", "联系",
)
ESCALATE_EN = (
    "contact", "contacted", "contacting", "call", "called", "calling", "report", "reported", "reporting",
    "file", "filed", "filing", "complain", "complained", "go to", "went to",
    "going to", "take this to", "escalate", "escalated", "notify", "notified", "write to", "wrote to",
    "hire", "hired", "retain", "retained", "speak to", "spoke to", "spoken to", "talk to", "talked to",
    "consult", "consulted", "involve", "involved", "seek", "sought", "with my lawyer", "my lawyer", "my attorney",
    "tell", "alert", "alerted", "submit", "submitted", "send",
)
# Negation: a term is not a threat or an incident when, in its own clause, it follows one of these
# cues with only the filler words in between ("没有人受伤", "不会去曝光", "我不是要起诉", "nobody was
# injured", "I'm not going to sue"). Content in between breaks the link: "再不处理就起诉", "if you
# don't refund I will sue" stay red.
NEGATION_CUES_ZH: tuple[str, ...] = (
    "没有", "没", "无", "未", "并未", "从未", "尚未", "不", "别", "不会", "不想", "不要", "不是", "不打算",
    "没打算", "无需", "不用", "不必", "不需要", "防止", "避免", "以免", "以防", "预防", "谨防", "严禁",
    "禁止", "幸好没", "幸亏没", "好在没", "还好没", "不至于", "不必要",
)
NEGATION_FILLERS_ZH: tuple[str, ...] = (
    "会", "要", "想", "打算", "准备", "需要", "用", "必", "是", "去", "再", "有", "人", "任何", "任何人",
    "谁", "一个人", "一人", "人员", "被", "造成", "导致", "出现", "发生", "发生过", "引起", "受到", "受",
    "到", "过", "还", "真的", "至于", "了", "的", "想要", "来", "什么", "找", "请", "出", "起", "起来",
    "其他人", "别人", "大家", "家人", "孩子", "宝宝", "老人", "我们", "我", "他", "她", "他们", "因此",
    "因为这个", "为这事", "为此", "就", "也", "都", "在", "跟你们", "和你们", "把事情", "把这件事", "走到",
    "闹到", "搞到", "弄到", "向", "去找",
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
    "thankfully", "luckily", "fortunately", "go", "went", "threaten", "threatening", "my",
    "our", "your", "this", "it", "there", "further", "physically", "goes", "more", "other", "others",
    "wish", "with", "of", "into",
)

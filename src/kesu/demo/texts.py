"""Products and complaint texts for the demo, written for kesu.

A complaint text is a template of its category (service attitude, product consultation, handling
efficiency, solution / compensation) filled with a product, an order number, amounts and days, then
framed the way its channel frames it: a handler's note of a call, a chat line, an e-mail, a post.
Templates name the product tags they fit (and carry resolutions that fit them), so a courier never
installs a fridge and a data plan is never sent for repair.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

TELECOM, DEVICE, DELIVERY, BILLING = "telecom", "device", "delivery", "billing"

# second-line groups (see organisation.py) a complaint about each kind is transferred to
TECH, LOGISTICS, FINANCE = "tech-support", "logistics-desk", "billing-review"


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    kind: str  # telecom / device / delivery / billing
    tags: frozenset[str]  # what templates it fits: line, broadband, plan, onsite, handheld, food, parcel …
    price: tuple[int, int]  # usual order value in CNY
    features: tuple[str, ...]
    order_style: str
    weight: float = 1.0


def _product(name, kind, tags, price, features, order_style, weight=1.0) -> Product:
    return Product(name, kind, frozenset((kind, *tags.split())), price, features, order_style, weight)


# fmt: off
PRODUCTS: tuple[Product, ...] = (
    _product("千兆宽带", TELECOM, "line broadband onsite", (1200, 2400), ("光猫重启", "WiFi 密码修改", "测速"), "SL", 3.0),
    _product("300M宽带", TELECOM, "line broadband onsite", (600, 1500), ("光猫重启", "上网时段管理"), "SL", 2.0),
    _product("5G畅享套餐", TELECOM, "plan subscription", (129, 1548), ("流量提醒", "国际漫游", "副卡共享"), "SL", 3.5),
    _product("5G尊享套餐", TELECOM, "plan subscription", (199, 2388), ("流量提醒", "国际漫游", "家庭网"), "SL", 1.5),
    _product("流量加油包", TELECOM, "subscription", (10, 50), ("自动续订", "流量提醒"), "SL", 1.2),
    _product("固定电话", TELECOM, "line onsite", (20, 300), ("来电显示", "呼叫转移"), "SL", 0.5),
    _product("IPTV电视套餐", TELECOM, "line onsite subscription", (300, 1200), ("回看", "儿童锁"), "SL", 0.8),
    _product("星河S9手机", DEVICE, "handheld smart", (3999, 6999), ("快充", "NFC 门禁卡", "双卡切换"), "DD", 2.0),
    _product("青禾X3手机", DEVICE, "handheld smart", (1299, 2599), ("快充", "双卡切换", "应用分身"), "DD", 2.0),
    _product("双门冰箱", DEVICE, "appliance onsite", (2199, 3999), ("速冻", "温度设置", "节能模式"), "DD", 1.5),
    _product("滚筒洗衣机", DEVICE, "appliance onsite", (1999, 3999), ("童锁", "烘干", "预约洗涤"), "DD", 1.3),
    _product("变频空调", DEVICE, "appliance onsite", (2599, 4599), ("睡眠模式", "定时开关", "自清洁"), "DD", 1.5),
    _product("55英寸智能电视", DEVICE, "appliance onsite smart", (2499, 4999), ("投屏", "儿童模式"), "DD", 1.0),
    _product("笔记本电脑", DEVICE, "handheld smart", (3999, 7999), ("系统激活", "电池保养模式"), "DD", 0.8),
    _product("扫地机器人", DEVICE, "appliance smart", (1299, 2999), ("定时清扫", "禁区设置", "手机 App 连接"), "DD", 0.7),
    _product("外卖订单", DELIVERY, "food", (25, 220), ("预约送达", "无接触配送"), "WM", 3.0),
    _product("生鲜配送", DELIVERY, "food fresh", (60, 600), ("预约送达", "缺货替换"), "WM", 1.5),
    _product("快递包裹", DELIVERY, "parcel fresh", (30, 3000), ("预约派送", "驿站代收"), "KD", 2.5),
    _product("同城跑腿", DELIVERY, "errand", (15, 120), ("预约取件",), "WM", 0.5),
    _product("信用卡", BILLING, "credit", (200, 30000), ("自动还款", "账单分期", "消费提醒"), "ZD", 1.2),
    _product("会员自动续费", BILLING, "subscription", (15, 258), ("自动续费", "扣费提醒"), "ZD", 1.2),
    _product("话费充值", BILLING, "topup", (50, 500), ("自动充值", "余额提醒"), "ZD", 1.0),
    _product("分期付款", BILLING, "credit", (1000, 12000), ("提前还款", "账单分期"), "ZD", 0.6),
)
# fmt: on

# who the customer dealt with, by product kind
STAFF: dict[str, tuple[str, ...]] = {
    TELECOM: ("营业员", "装维师傅", "客服代表", "网格经理"),
    DEVICE: ("安装师傅", "维修师傅", "门店导购", "客服代表"),
    DELIVERY: ("骑手", "快递员", "站点负责人", "客服代表"),
    BILLING: ("客服代表", "客户经理", "柜台工作人员"),
}
AGENTS = ("客服代表", "接线员", "在线客服", "客服专员")
CLERKS = {
    TELECOM: ("营业员",),
    DEVICE: ("门店导购",),
    DELIVERY: ("站点负责人",),
    BILLING: ("客户经理", "柜台工作人员"),
}
FIXERS = {
    TELECOM: ("装维师傅",),
    DEVICE: ("维修师傅", "安装师傅"),
    DELIVERY: ("工作人员",),
    BILLING: ("工作人员",),
}
REGULATOR: dict[str, str] = {TELECOM: "工信部", DEVICE: "12315", DELIVERY: "12315", BILLING: "金融监管部门"}
SECOND_LINE: dict[str, str] = {TELECOM: TECH, DEVICE: TECH, DELIVERY: LOGISTICS, BILLING: FINANCE}


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    body: str
    tags: frozenset[str] | None = None  # products it fits (any tag in common); None: every product
    resolutions: tuple[str, ...] = ()  # fitting resolutions, besides the category's general ones


def _t(subject: str, body: str, tags: str = "", *resolutions: str) -> Template:
    return Template(subject, body, frozenset(tags.split()) or None, resolutions)


# category → templates. Slots: product staff agent clerk fixer courier feature regulator order days hours
# minutes times months years amount (what the customer paid or lost) fee (a small charge) small (a small
# compensation) date.
TEMPLATES: dict[str, tuple[Template, ...]] = {
    "service-attitude": (
        _t(
            "客服热线态度冷淡",
            "我{days}天前打客服热线咨询{product}的问题，接线员态度非常冷淡，我话还没说完就把电话挂了。",
        ),
        _t(
            "上门人员迟到且态度差",
            "{date}上门安装{product}的{fixer}迟到了两个多小时，进门后一直抱怨楼层高、活难干，装完包装垃圾也不带走，问他问题爱答不理。",
            "onsite",
            "已向客户致歉，对涉事{fixer}停单培训，并赠送{small}元补偿，客户接受。",
        ),
        _t(
            "营业厅工作人员不理人",
            "{date}去营业厅办理{product}业务，营业员一直低头玩手机，我问了三遍才抬头，还嫌我问题多，态度极差。",
            "telecom",
            "已联系营业厅负责人核实，对当班营业员通报批评，营业厅店长回电致歉。",
        ),
        _t(
            "在线客服推诿",
            "在线客服一直用机器人话术敷衍，转人工后对方说“这个我们管不了，您自己去问”。订单号{order}，到底谁来管？",
        ),
        _t(
            "快递员乱扔包裹还拉黑",
            "{courier}把{product}直接扔在小区门口，我打电话问，他说“爱要不要”，还把我电话拉黑了。",
            "parcel",
            "已联系站点核实，对涉事{courier}罚款并停派三天，站点负责人上门致歉。",
        ),
        _t(
            "承诺回电一直没人联系",
            "客服承诺{days}个工作日内回电，到现在没有任何人联系我。打过去又让我从头描述一遍，每次接电话的人都不一样，推来推去。",
        ),
        _t(
            "不检测就说是人为损坏",
            "{fixer}说{product}的故障是我自己使用不当造成的，不给检测就下结论，说话很冲，我要求更换处理人员。",
            "device line",
            "已更换处理人员重新上门检测，确认为质量问题，按保修政策免费维修。",
        ),
        _t(
            "老用户被反复推销",
            "我是{years}年的老用户了，这次办理{product}时被{clerk}反复推销其他套餐，拒绝以后态度明显变差，说话阴阳怪气。",
            "telecom",
        ),
        _t(
            "排队半小时接通就敷衍",
            "打了{times}次客服电话，每次都排队二十多分钟，好不容易接通了，{agent}听了两句就说“系统查不到”，让我等通知。",
        ),
        _t(
            "骑手电话里骂人",
            "送餐超时{minutes}分钟，我只是问了一句，{courier}就在电话里骂人，餐也是洒的。订单号{order}。",
            "food",
            "已核实骑手服务违规，对其处罚并停止接单，为客户全额退款{amount}元。",
        ),
        _t(
            "承诺后不认账",
            "{agent}在电话里答应给我处理{product}的问题，结果转头就不认账，说没有这回事，我有通话录音。",
        ),
        _t(
            "导购隐瞒活动规则",
            "门店导购在我买{product}时没说清楚不参加以旧换新，现在去问，态度很差，说“买了就不退”。",
            "device",
            "已与门店核实，按活动规则为客户补办以旧换新，差价{small}元退回。",
        ),
        _t(
            "服务太差，拖了{days}天",
            "你们的{staff}服务太差了！问个问题像欠了他钱一样，{product}的事拖了{days}天，没有一个人能说清楚。",
        ),
        _t(
            "没修好逼我签字",
            "{fixer}上门维修{product}，没修好就让我签字确认已修复，我不签他就不高兴，说我耽误他下一单。",
            "onsite",
            "已重新派单上门维修完毕，对原维修人员进行考核，客户确认正常使用。",
        ),
        _t(
            "催收言语威胁",
            "催收{product}欠款的工作人员言语威胁，还打电话给我的家人和同事，严重影响我的生活。",
            "credit",
            "已核实催收录音，对外包催收人员违规行为处理，并暂停对客户家人的联系。",
        ),
        _t("反映问题被打断", "反映{product}的问题时{agent}一直打断我，说话很不耐烦，最后还说“投诉也没用”。"),
    ),
    "product-consultation": (
        _t(
            "账单多出{fee}元费用",
            "账单上多了一笔{fee}元的费用，我没有办理过相关业务，想问一下这是什么费用，{product}的资费到底怎么算？",
            "telecom credit subscription",
            "已向客户解释{product}的资费构成，多出的{fee}元为上月超出套餐部分，客户认可。",
        ),
        _t(
            "保修咨询",
            "{product}的保修期是多久？发票找不到了还能保修吗？订单号{order}。",
            "device",
            "已告知保修政策：整机保修一年，凭订单号即可保修，无需纸质发票。",
        ),
        _t(
            "提前解约",
            "{product}可以提前解约吗？违约金怎么算？官网写的和营业厅说的不一样。",
            "plan line",
            "已说明解约规则及违约金计算方式，以官网公示为准，并记录营业厅口径不一致的问题。",
        ),
        _t(
            "{feature}怎么设置",
            "新买的{product}，说明书看不明白，{feature}功能怎么设置？",
            "device",
            "已远程指导客户完成{feature}设置，问题解决。",
        ),
        _t(
            "以旧换新政策",
            "想咨询{product}以旧换新的政策，我的旧机大概能抵多少钱？需要带什么材料？",
            "handheld appliance",
            "已说明以旧换新流程、估价方式及所需材料，客户表示清楚。",
        ),
        _t(
            "合约到期后资费",
            "我的{product}合约还有{months}个月到期，到期后资费会不会自动上调？能不能换成更便宜的套餐？",
            "plan line",
            "已告知合约到期后按原资费续约，不会自动上调，并介绍了可选套餐。",
        ),
        _t(
            "配送范围",
            "{product}的配送范围包括我们小区吗？为什么下单时显示超出配送范围？",
            "food errand",
            "已核实客户小区在配送范围内，为地址定位偏差所致，已指导客户重新定位。",
        ),
        _t(
            "账单日和还款日",
            "{product}的账单日和还款日是哪天？自动还款失败会不会影响征信？",
            "credit",
            "已告知账单日和还款日，并说明还款宽限期政策，客户已开通自动还款。",
        ),
        _t(
            "搬家移机",
            "搬家了，{product}可以移机吗？移机要收费吗，大概需要几天？",
            "line",
            "已为客户登记移机，移机免费，装维人员3个工作日内上门。",
        ),
        _t(
            "系统更新会丢数据吗",
            "{product}提示需要系统更新，更新后数据会不会丢失？{feature}还能用吗？",
            "smart",
            "已说明系统更新不会清除个人数据，建议更新前备份，{feature}不受影响。",
        ),
        _t(
            "不知道怎么开通的",
            "{product}不知道是怎么开通的，我想取消，在哪里操作？已经扣的{fee}元能退吗？",
            "subscription",
            "已查询开通记录并协助客户退订，本月已扣{fee}元按规则退还。",
        ),
        _t(
            "物流一直没更新",
            "{product}显示出库{days}天了，物流信息一直没更新，想问问现在到哪里了。运单号{order}。",
            "parcel device",
            "已查询物流，包裹在中转站滞留，已催促派送，预计明天送达。",
        ),
        _t(
            "老人优惠和上门指导",
            "想了解一下{product}有没有针对老人的优惠？家里老人用不习惯，能不能上门指导一下？",
            "telecom device",
        ),
        _t(
            "功能开通收费吗",
            "{product}的{feature}在哪里开通？开通以后每个月要多收费吗？",
            "telecom billing",
            "已告知{feature}的开通方式，该功能免费，客户已自行开通。",
        ),
    ),
    "handling-efficiency": (
        _t(
            "报修{days}天无人上门",
            "{date}报修{product}，到现在已经{days}天了还没有人上门，每次打电话都说“已经催促了”。",
            "onsite",
            "已协调{fixer}于次日上门处理完毕，并就延误向客户致歉。",
        ),
        _t(
            "退款{days}个工作日未到账",
            "申请退款{amount}元，已经{days}个工作日了还没到账，订单号{order}，客服只会说在处理中。",
            "",
            "已加急处理退款{amount}元，预计1至3个工作日到账，客户同意。",
        ),
        _t(
            "工单{days}天没有进展",
            "{product}的工单提交了{days}天没有任何进展，查询也只显示“处理中”，到底卡在哪个环节？",
        ),
        _t(
            "换货审核一周未通过",
            "{product}换货申请审核了一个多星期还是“待审核”，旧机已经寄回去了，新机迟迟不发。订单号{order}。",
            "device",
            "已督促审核通过并安排新机发货，补偿{small}元优惠券。",
        ),
        _t(
            "显示签收但没收到",
            "物流显示{product}已签收，但我根本没收到，反映了{days}天也没人核实。运单号{order}。",
            "parcel handheld",
            "经核实为快递员误投，已找回包裹并重新派送，客户已签收。",
        ),
        _t(
            "断网{days}天没修好",
            "{product}断网{days}天了，报了{times}次障碍，维修人员说线路要等其他部门处理，一直没有结果。",
            "broadband",
            "已协调技术部完成光缆抢修，网络恢复，并按断网天数减免月租。",
        ),
        _t(
            "承诺退费未兑现",
            "多扣的{amount}元答应{days}天内退回，现在早过了时间，还是没退。",
            "telecom billing",
            "已核实退费流程卡在审批环节，现已退回{amount}元。",
        ),
        _t(
            "反映{times}次没人回电",
            "{product}同一个问题已经反映{times}次了，每次都说会有专人跟进，结果没有一个人回电话。",
        ),
        _t(
            "维修{days}天等配件",
            "{product}报修{days}天了，维修点说在等配件，问什么时候到也说不清楚。",
            "device",
            "已协调配件加急调拨，维修完成，并赠送延保一年。",
        ),
        _t(
            "超时赔付迟迟不审核",
            "{product}超时{minutes}分钟才送到，申请了超时赔付，审核了{days}天还没结果。订单号{order}。",
            "food",
            "已完成超时赔付审核，赔付{small}元已到账。",
        ),
        _t(
            "业务{days}天未生效",
            "{date}办理的{product}到现在还没生效，营业厅说系统在同步，已经等了{days}天。",
            "plan line subscription",
            "已查明为系统数据同步失败，现已手工生效，并补偿{small}元话费。",
        ),
    ),
    "solution-compensation": (
        _t(
            "补偿{small}元不接受",
            "因为{product}的问题给我造成了{amount}元的损失，你们只愿意补偿{small}元，我不接受这个方案。",
        ),
        _t(
            "断网影响办公要求赔偿",
            "{product}断网{days}天，严重影响我在家办公，要求按天减免月租，并赔偿误工损失{amount}元。",
            "broadband",
            "按断网天数减免月租，并赠送{months}个月提速包，客户接受。",
        ),
        _t(
            "到货即坏要求换新",
            "{product}送来就是坏的，要求直接换新机，不接受维修。订单号{order}，货款{amount}元。",
            "device",
            "已确认为开箱即损，同意换新，新机已发出。",
        ),
        _t(
            "送错洒漏只给优惠券",
            "{product}送错了，而且洒了一半，平台只给{small}元优惠券，要求全额退款{amount}元。订单号{order}。",
            "food",
            "已为客户全额退款{amount}元，另赠{small}元无门槛券。",
        ),
        _t(
            "反复维修要求退货",
            "{product}买了不到{months}个月就出故障，已经修了{times}次还是老问题，要求退货退款{amount}元。",
            "device",
            "符合三包退货条件，同意退货，{amount}元原路退回。",
        ),
        _t(
            "重复扣款要求退还",
            "{product}被重复扣款{amount}元，要求退还并补偿利息，同时给出书面说明。",
            "billing telecom",
            "核实重复扣款属实，已退还{amount}元并出具书面说明。",
        ),
        _t(
            "套餐被擅自变更",
            "套餐被擅自变更为{product}，多扣了{months}个月共{amount}元，要求全额退还并恢复原套餐。",
            "plan",
            "已恢复客户原套餐，多扣的{amount}元全额退还，并对办理人员追责。",
        ),
        _t(
            "延误导致生鲜变质",
            "{product}延误{days}天，里面的生鲜全部坏了，价值{amount}元，要求照价赔偿。运单号{order}。",
            "fresh",
            "已按保价规则照价赔偿{amount}元。",
        ),
        _t(
            "安装损坏墙面地板",
            "安装{product}时师傅把我家墙面和地板弄坏了，修复要{amount}元，要求赔偿。",
            "onsite",
            "已派人上门核损，按实际修复费用赔偿，客户接受。",
        ),
        _t(
            "补偿金额与承诺不符",
            "对{product}之前的处理结果不满意，补偿{small}元太少，按你们的承诺应该赔{amount}元。",
        ),
    ),
}

# the category's resolutions that fit any product
RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "service-attitude": (
        "已向客户诚恳致歉，对涉事人员进行批评教育并纳入考核，客户表示接受。",
        "调取录音核实情况属实，已由班组长回电致歉，补偿{small}元，客户接受。",
        "经核实存在服务用语不规范问题，已安排培训，并向客户致歉、说明整改措施。",
    ),
    "product-consultation": (
        "已向客户详细解答，并以短信发送相关说明，客户无其他疑问。",
        "已说明办理流程及所需材料，客户表示清楚。",
    ),
    "handling-efficiency": (
        "查明工单在转派环节滞留，已督办完成，并对延误环节进行通报。",
        "已协调相关部门加急处理完毕，并就延误向客户致歉。",
    ),
    "solution-compensation": (
        "经协商，按补偿标准给予客户{small}元补偿，客户接受。",
        "超出一线审批权限，经主管审批后补偿{small}元，客户接受。",
    ),
}

# how the customer starts and ends, by channel (an e-mail has its own greeting, see _frame)
OPENERS = {
    "phone": ("", "", "", "我要投诉，", "麻烦处理一下，"),
    "chat": ("", "", "你好，", "您好，", "客服你好，", "我要投诉！", "在吗？"),
    "email": ("", "", "", "我要投诉！", "现反映一个问题："),
    "social": ("", "", "", "真的无语了，", "曝光一下！"),
}
CLOSERS = {
    "phone": ("请尽快处理。", "希望尽快给个答复。", "请给个说法。", "联系电话就是本号码。", ""),
    "chat": ("请尽快处理。", "请给个说法。", "", "", "谢谢。", "急！"),
    "email": ("请尽快处理。", "希望尽快给我一个答复。", "请给个说法。", "谢谢。", ""),
    "social": ("", "", "大家评评理。", "请给个说法。"),
}
URGENT_CLOSERS = (
    "如果今天还不解决，我就向{regulator}投诉。",
    "已经影响到正常生活了，请务必加急处理。",
    "明天上午之前必须给我答复。",
)
MAJOR_CLOSERS = (
    "已经联系了本地电视台和报社，你们看着办。",
    "我们小区好几十户都是这个情况，准备一起去{regulator}反映。",
    "家里老人因此摔伤了，现在还在医院，你们必须负责。",
    "已经在网上发帖了，几千人转发，你们自己看着办。",
)
REPEAT_OPENERS = (
    "这是我第二次反映这个问题了。",
    "上次投诉以后问题还是没解决，",
    "之前已经打过电话，",
    "还是上次那个问题，",
)
DUPLICATE_BODIES = (
    "刚才已经在{other}反映过了，{product}的问题，订单号{order}，再提交一次，请尽快处理。",
    "重复反映：{product}的问题到现在没人联系我，之前已经提交过。",
    "{product}那个问题我又说一遍，{other}那边说会转过来，到底有没有人管？",
)
CHANNEL_WORDS = {"phone": "电话里", "chat": "在线客服", "email": "邮件里", "social": "微博上"}

PEND_REASONS = (
    "等待客户提供订单截图",
    "客户电话未接通，已发短信请其回电",
    "等待客户提供故障照片或视频",
    "需要客户提供发票或付款凭证",
    "已约上门时间，等待客户确认",
    "等待客户确认补偿方案",
)
RESUME_NOTES = ("客户已补充材料", "客户回电，继续处理", "已收到照片，确认故障", "客户确认了上门时间", "")
NOTES = (
    "已致电客户了解情况，客户情绪较激动，已安抚。",
    "已查询订单及物流轨迹。",
    "已调取通话录音核实。",
    "已联系{staff}核实情况。",
    "已与客户约定明天上午回电。",
    "客户要求书面答复，已记录。",
)
TRANSFER_REASONS: dict[str, tuple[str, ...]] = {
    TECH: ("涉及线路或设备故障，需技术部上门检测", "需技术部分析设备日志", "一线无法判断故障原因，转技术部"),
    LOGISTICS: ("需物流部核实配送轨迹和签收记录", "涉及配送破损，转物流部处理", "需物流部协调站点重新派送"),
    FINANCE: ("涉及退款和补偿金额，需财务部审核", "需财务部核对扣费明细", "补偿超出一线权限，转财务部审批"),
}
REOPEN_REASONS = (
    "回访不满意：问题仍未解决",
    "客户再次来电，称故障再次出现",
    "客户对补偿方案反悔，要求重新处理",
    "满意度调查评为“非常不满意”，重新处理",
)
CLOSE_NOTES = ("已回访，客户满意", "回访客户，确认问题已解决", "客户认可处理结果", "")
AUTO_CLOSE_NOTES = ("回访未回复，系统自动结单", "")
MERGE_REASONS = ("与 {number} 为同一问题，合并处理", "客户重复提交，合并到 {number}")

_PRODUCT_WEIGHTS = tuple(p.weight for p in PRODUCTS)
_SMALL = (10, 20, 30, 50, 50, 100, 100, 200, 300)


@dataclass(frozen=True, slots=True)
class ComplaintText:
    subject: str
    content: str
    product: Product
    order_number: str
    amount: Decimal | None  # the amount the customer claims, if the text names one
    slots: dict[str, object]  # the values the text was filled with (for its notes and resolution)
    resolutions: tuple[str, ...]  # resolutions that fit this complaint


def product_pick(rng: random.Random, category: str) -> tuple[Product, Template]:
    """A product and a template of ``category`` that fits it."""
    templates = TEMPLATES[category]
    while True:
        product = rng.choices(PRODUCTS, weights=_PRODUCT_WEIGHTS)[0]
        fitting = _fitting(templates, product)
        if fitting:
            return product, rng.choice(fitting)


def _fitting(templates: tuple[Template, ...], product: Product) -> list[Template]:
    return [t for t in templates if t.tags is None or t.tags & product.tags]


def order_number_make(rng: random.Random, product: Product, day: datetime) -> str:
    if product.order_style == "SL":  # a telecom business-acceptance sheet
        return f"SL{day:%Y%m%d}{rng.randrange(10**6):06d}"
    if product.order_style == "DD":  # an online shop order
        return f"DD{day:%y%m%d}{rng.randrange(10**10):010d}"
    if product.order_style == "WM":  # a food / errand delivery order
        return f"WM{rng.randrange(10**15, 10**16)}"
    if product.order_style == "KD":  # a parcel waybill
        return f"KD{rng.randrange(10**11, 10**12)}"
    return f"ZD{day:%Y%m}{rng.randrange(10**8):08d}"  # a bill


def _amount(rng: random.Random, product: Product) -> Decimal:
    low, high = product.price
    value = rng.uniform(low, high) if rng.random() < 0.8 else rng.uniform(low * 0.1, low)
    if value > 100 and rng.random() < 0.6:
        return Decimal(int(round(value, -1)))
    return Decimal(f"{value:.2f}")


def _courier(product: Product) -> str:
    if "food" in product.tags:
        return "骑手"
    if "parcel" in product.tags:
        return "快递员"
    return "跑腿师傅" if "errand" in product.tags else "配送员"


def text_slots(rng: random.Random, product: Product, local: datetime, order_number: str) -> dict[str, object]:
    days = rng.choice((2, 3, 3, 4, 5, 5, 6, 7, 8, 10, 12, 15))
    amount = _amount(rng, product)
    small = min(rng.choice(_SMALL), max(10, int(amount) // 2))
    earlier = local - timedelta(days=days)
    return {
        "product": product.name,
        "staff": rng.choice(STAFF[product.kind]),
        "agent": rng.choice(AGENTS),
        "clerk": rng.choice(CLERKS[product.kind]),
        "fixer": rng.choice(FIXERS[product.kind]),
        "courier": _courier(product),
        "fee": Decimal(f"{rng.uniform(5, 120):.2f}"),
        "feature": rng.choice(product.features),
        "regulator": REGULATOR[product.kind],
        "order": order_number,
        "days": days,
        "hours": rng.randrange(2, 9),
        "minutes": rng.choice((30, 40, 45, 50, 60, 80, 90)),
        "times": rng.randrange(2, 7),
        "months": rng.randrange(2, 12),
        "years": rng.randrange(3, 16),
        "amount": amount,
        "small": small,
        "date": f"{earlier.month}月{earlier.day}日",
    }


def _frame(
    rng: random.Random, channel: str, body: str, *, polite: str, full_name: str, local: datetime
) -> str:
    """Write ``body`` the way ``channel`` delivers it."""
    if channel == "phone":
        lead = rng.choice(("客户来电反映：", f"{polite}来电表示：", "来电人称：", "客户来电投诉："))
        return lead + body
    if channel == "email":
        greeting = rng.choice(("您好：", "客服您好：", "尊敬的客服："))
        sign = rng.choice(("此致\n敬礼！\n", "", "盼复。\n"))
        return f"{greeting}\n\n{body}\n\n{sign}{full_name}\n{local.year}年{local.month}月{local.day}日"
    if channel == "social":
        tag = rng.choice(("#投诉#", "#避雷#", "", "#维权#"))
        return f"@官方客服 {body} {tag}".rstrip()
    return body + rng.choice(("", "", "", "？？", " 在线等"))


def complaint_text(
    rng: random.Random,
    *,
    category: str,
    channel: str,
    severity: str,
    local: datetime,
    polite: str,
    full_name: str,
    repeat_of: tuple[Product, str] | None = None,
) -> ComplaintText:
    """A subject and content for a new complaint created at ``local`` (local time).

    ``repeat_of`` (product, order number) makes it a repeat of an earlier complaint about the same thing.
    """
    if repeat_of is not None:
        product, order_number = repeat_of
        fitting = _fitting(TEMPLATES[category], product)
        template = rng.choice(fitting) if fitting else product_pick(rng, category)[1]
    else:
        product, template = product_pick(rng, category)
        order_number = order_number_make(rng, product, local - timedelta(days=rng.randrange(1, 30)))
    slots = text_slots(rng, product, local, order_number)
    body = template.body.format(**slots)
    if repeat_of is not None:
        body = rng.choice(REPEAT_OPENERS) + body
    else:
        body = rng.choice(OPENERS.get(channel, ("",))) + body
    if severity == "major":
        body += rng.choice(MAJOR_CLOSERS).format(**slots)
    elif severity == "urgent":
        body += rng.choice(URGENT_CLOSERS).format(**slots)
    else:
        body += rng.choice(CLOSERS.get(channel, ("",)))
    subject = template.subject.format(**slots)
    if repeat_of is not None:
        subject = "再次投诉：" + subject
    content = _frame(rng, channel, body, polite=polite, full_name=full_name, local=local)
    named = "{order}" in template.body or "{amount}" in template.body
    amount = slots["amount"] if "{amount}" in template.body else None
    return ComplaintText(
        subject=subject,
        content=content,
        product=product,
        order_number=order_number if named or rng.random() < 0.5 else "",
        amount=amount,  # type: ignore[arg-type]
        slots=slots,
        resolutions=template.resolutions + RESOLUTIONS[category],
    )


def duplicate_text(
    rng: random.Random,
    *,
    product: Product,
    order_number: str,
    subject: str,
    first_channel: str,
    channel: str,
    polite: str,
    full_name: str,
    local: datetime,
) -> tuple[str, str]:
    """Subject and content of a complaint the customer files again about one still being handled."""
    body = rng.choice(DUPLICATE_BODIES).format(
        other=CHANNEL_WORDS.get(first_channel, "电话里"),
        product=product.name,
        order=order_number or "（未提供）",
    )
    return "重复反映：" + subject, _frame(rng, channel, body, polite=polite, full_name=full_name, local=local)


def fill(rng: random.Random, choices: tuple[str, ...], slots: dict[str, object]) -> str:
    """One of ``choices`` with its slots filled."""
    return rng.choice(choices).format(**slots)


# a customer chasing an unresolved complaint, calmer to angrier (index: how many times they chased before)
CHASES: tuple[tuple[str, ...], ...] = (
    ("请问我的投诉处理得怎么样了？麻烦告知一下进度。", "你好，想了解一下我反映的问题现在有结果了吗？",
     "麻烦帮忙看一下处理进度，谢谢。"),
    ("怎么还没有人联系我？已经等了很久了，请尽快处理。", "又过了一天还是没有消息，你们到底有没有在处理？",
     "我已经问过一次了，到现在还没有答复，请给个准确时间。"),
    ("太过分了！一次次催都没人理，你们就是这样对待客户的吗？", "我非常生气，问题拖到现在都没解决，敷衍了事！",
     "受够了，每次都说在处理，根本没人管，太失望了！"),
    ("再不解决我就投诉到12315！", "如果今天还不给答复，我就向市场监管局投诉，并在微博曝光！",
     "我已经咨询律师了，再拖下去法院见！"),
)

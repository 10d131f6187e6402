"""Demo content of the solution library: published articles handlers would really reuse."""

from __future__ import annotations

from datetime import datetime, timedelta

from kesu.core.models import User
from kesu.core.roles import Role
from kesu.knowledge.actions import article_feedback, article_save, article_used
from kesu.knowledge.models import Article, ArticleStatus

# title, category code, steps, tags, products, body, (uses, helpful, not helpful)
ARTICLES: list[tuple[str, str, list[str], list[str], list[str], str, tuple[int, int, int]]] = [
    ("快递延误处理", "logistics-delay",
     ["在物流系统中查询运单轨迹，确认最后一次更新时间与所在网点", "超过承诺时效 48 小时的，联系快递公司网点催件并登记催件单号",
      "向客户说明当前位置与预计送达时间，承诺 24 小时内回电", "仍未送达的，按补偿矩阵提出运费补偿或优惠券"],
     ["快递", "延误", "催件"], ["标准快递", "次日达"],
     "延误是最常见的物流投诉。先查轨迹再联系客户，回电时给出具体时间，不要只说“在路上”。", (64, 41, 3)),
    ("包裹显示已签收但客户未收到", "logistics-delay",
     ["核实签收人与签收时间，调取快递员签收照片或录音", "询问客户是否有家人、门卫、快递柜代收",
      "24 小时内仍未找到的，向快递公司发起丢件调查", "调查确认丢件的，为客户补发或全额退款"],
     ["签收", "未收到", "丢件"], ["标准快递", "次日达", "同城配送"],
     "快递包裹显示已签收但客户未收到时，先核实签收人，再决定补发还是退款。", (52, 37, 2)),
    ("运输破损的退换货", "logistics-damage",
     ["请客户提供外包装与商品破损照片（含快递面单）", "在系统中登记破损情况并上传照片作为附件",
      "客户选择换货的，安排上门取件并优先发出新品", "客户选择退款的，确认取件后 1 个工作日内发起退款", "向快递公司发起破损理赔"],
     ["破损", "换货", "理赔"], ["家电", "生鲜", "易碎品"],
     "破损先拍照取证。生鲜类商品无需退回，凭照片直接补发或退款。", (38, 25, 1)),
    ("退款流程", "solution-compensation",
     ["确认订单号、支付方式与退款金额", "在订单系统中发起退款，备注投诉单号",
      "告知客户到账时间：原路退回一般 1–3 个工作日，信用卡最长 7 个工作日", "到账期限后回访，确认客户已收到"],
     ["退款", "到账"], ["全部商品"],
     "退款一律原路退回。客户要求退到其他账户的，需主管审批并留存客户书面申请。", (71, 48, 5)),
    ("扣费争议核查", "billing-charge",
     ["请客户提供扣费时间、金额与扣费渠道（短信或账单截图）", "在计费系统中按手机号与时间段查询扣费记录",
      "核对是否为客户已开通的套餐或增值业务", "确认为误扣的，当日发起退费并关闭对应业务", "非误扣的，向客户逐笔解释扣费依据并发送明细"],
     ["扣费", "账单", "退费"], ["手机套餐", "会员服务"],
     "扣费争议要逐笔核对，向客户说明每一笔的业务名称、开通时间与开通方式。", (45, 30, 4)),
    ("自动续费未告知", "billing-charge",
     ["查询会员服务的开通记录与续费提醒短信发送记录", "续费前未按规定提醒的，全额退还本期费用",
      "协助客户关闭自动续费，并发送关闭确认短信"],
     ["自动续费", "会员", "退费"], ["会员服务"],
     "依规定，自动续费前 5 日须提醒客户。查不到提醒记录的，按未告知处理。", (29, 21, 2)),
    ("产品质量问题退换货", "product-quality",
     ["请客户描述故障现象并提供照片或视频", "在保修期内的，安排换新或维修，由客户选择",
      "同一问题维修两次仍未修好的，按规定为客户换新或退货", "记录产品型号与批次，便于质量部门追溯"],
     ["质量", "退换货", "保修"], ["家电", "手机", "智能手表"],
     "七天内出现性能故障的，客户可选择退货、换货或维修；十五天内可选择换货或维修。", (58, 40, 3)),
    ("同一批次多起质量投诉的上报", "product-quality",
     ["在投诉列表中按产品与批次筛选近 7 天的投诉", "同一批次 3 起以上相同故障的，转质量部门并附投诉单号",
      "在投诉中添加内部备注，说明已上报批次问题"],
     ["批次", "上报", "质量"], ["家电", "手机"],
     "批次问题要尽早上报：质量部门可据此决定是否暂停发货或召回。", (17, 12, 0)),
    ("产品使用咨询的答复要点", "product-consultation",
     ["确认客户使用的产品型号与软件版本", "按产品说明书或知识库步骤逐步指导，每步确认客户已完成",
      "仍无法解决的，预约技术人员远程或上门协助"],
     ["咨询", "使用指导"], ["智能手表", "路由器", "家电"],
     "咨询类问题尽量一次讲清，指导结束后发送图文说明链接。", (33, 22, 2)),
    ("客户投诉服务态度的处理", "service-attitude",
     ["调取相关通话录音或聊天记录，核实经过", "先向客户诚恳致歉，不辩解、不推诿",
      "核实属实的，告知客户处理结果与改进措施", "按补偿矩阵为客户提供致歉礼券"],
     ["服务态度", "致歉"], ["全部商品"],
     "态度类投诉客户最在意的是被重视。首次回电务必由组长或资深处理人负责。", (26, 19, 1)),
    ("处理超时的客户安抚", "handling-efficiency",
     ["查看投诉时限，确认已超时的环节与原因", "主动联系客户说明进展，给出明确的下一次回电时间",
      "需要其他部门配合的，转派时写清已做事项与所需支持", "超时 48 小时以上的，按矩阵提出补偿"],
     ["超时", "安抚", "时限"], ["全部商品"],
     "超时后第一通电话要主动说明原因与进展，不要等客户来催。", (22, 14, 2)),
    ("补偿方案的沟通话术", "solution-compensation",
     ["先确认客户诉求，再说明公司可提供的方案", "方案在本人审批权限内的，直接与客户确认",
      "超出权限的，提交审批并告知客户预计答复时间（一般 1 个工作日内）", "方案确认后在投诉中记录并回访"],
     ["补偿", "话术", "审批"], ["全部商品"],
     "补偿金额以补偿矩阵为参考。不要在审批通过前向客户承诺具体金额。", (40, 28, 3)),
    ("发票开具与更换", "policy",
     ["核实订单是否已开票、发票类型与抬头", "抬头有误的，作废原发票并重新开具",
      "电子发票在 1 个工作日内发送至客户邮箱"],
     ["发票", "抬头"], ["全部商品"],
     "增值税专用发票需核对客户的纳税人识别号与开户信息。", (15, 11, 1)),
    ("价保规则说明", "policy",
     ["确认客户购买日期与降价日期", "在价保期（一般 7 天）内降价的，退还差价",
      "活动期间的限时秒杀与赠品不在价保范围内，向客户解释"],
     ["价保", "差价"], ["全部商品"],
     "价保只针对同一商品同一规格，按实付金额计算差价。", (19, 9, 4)),
    ("重复投诉客户的升级处理", "other",
     ["查看客户近 30 天的历史投诉与处理结果", "同一问题第二次投诉的，由资深处理人接手并优先处理",
      "与客户约定解决时限，并在时限前回访确认", "需要补偿的，参考上一次方案并适当提高"],
     ["重复投诉", "升级"], ["全部商品"],
     "重复投诉说明上一次处理没有真正解决问题，先找到根因再给方案。", (24, 16, 2)),
]


def _author() -> User:
    author = (
        User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.ADMIN]).order_by("role", "pk").first()
    )
    if author is None:
        raise RuntimeError("the demo library needs an active manager or administrator to write its articles")
    return author


def knowledge_demo_seed(now: datetime, *, by: User | None = None) -> int:
    """Write the demo articles (published, with use and feedback counts) that do not exist yet; returns
    how many were written. ``by``: the author, else the first active manager or administrator."""
    author = by or _author()
    existing = set(Article.objects.values_list("title", flat=True))
    written = 0
    for index, (title, category, steps, tags, products, body, counts) in enumerate(ARTICLES):
        if title in existing:
            continue
        at = now - timedelta(days=60 - index * 3)
        article = article_save(by=author, now=at, title=title, body=body, steps=steps, category=category, tags=tags,
                               products=products, public=False, status=ArticleStatus.PUBLISHED)
        uses, helpful, not_helpful = counts
        for _ in range(uses):
            article_used(article=article, by=author, now=now)
        for answer, times in ((True, helpful), (False, not_helpful)):
            for _ in range(times):
                article_feedback(article=article, helpful=answer, by=author, now=now)
        written += 1
    return written

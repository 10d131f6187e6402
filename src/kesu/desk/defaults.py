"""The default response templates: one per severity × service type (docs/architecture.md, "Handling tools"), in Chinese
and English. Seeded by a data migration; afterwards the management layer edits them in the admin."""

from __future__ import annotations

from datetime import datetime

# (severity, service type, Chinese name, Chinese text, English name, English text)
DEFAULT_TEMPLATES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "general", "pre_sale",
        "一般·售前咨询答复",
        "尊敬的{customer_name}您好：\n\n感谢您对我们产品的关注。关于您咨询的问题（工单号 {number}），"
        "我们已为您整理了相关信息，如仍有疑问，欢迎随时与我们联系。我们将在 {due_date} 前完成全部答复。\n\n"
        "祝您生活愉快！\n客户服务中心 {handler_name}",
        "General · pre-sale answer",
        "Dear {customer_name},\n\nThank you for your interest in our products. We have looked into your "
        "question (reference {number}) and collected the information for you. If anything is still unclear, "
        "please contact us at any time; we will have answered everything by {due_date}.\n\n"
        "Kind regards,\n{handler_name}, Customer Service",
    ),
    (
        "general", "after_sale",
        "一般·售后问题受理",
        "尊敬的{customer_name}您好：\n\n您反映的问题（工单号 {number}）我们已收到并登记处理，"
        "给您带来不便，深表歉意。我们将尽快核实情况，并于 {due_date} 前给您明确答复。\n\n"
        "如有补充信息，直接回复本消息即可。\n客户服务中心 {handler_name}",
        "General · after-sale acknowledgement",
        "Dear {customer_name},\n\nWe have received your complaint (reference {number}) and are handling it. "
        "We are sorry for the inconvenience. We will check what happened and give you a clear answer by "
        "{due_date}.\n\nIf you have anything to add, simply reply to this message.\n"
        "{handler_name}, Customer Service",
    ),
    (
        "general", "technical",
        "一般·技术问题受理",
        "尊敬的{customer_name}您好：\n\n您反馈的技术问题（工单号 {number}）已转入技术排查流程。"
        "为便于我们尽快定位，请您提供问题出现的时间、设备型号及相关截图。我们将于 {due_date} 前向您反馈排查结果。\n\n"
        "感谢您的耐心与配合！\n客户服务中心 {handler_name}",
        "General · technical acknowledgement",
        "Dear {customer_name},\n\nThe technical issue you reported (reference {number}) is now being "
        "investigated. To help us find the cause quickly, please tell us when it happened, which device you "
        "use and, if possible, send a screenshot. We will report back by {due_date}.\n\n"
        "Thank you for your patience,\n{handler_name}, Customer Service",
    ),
    (
        "urgent", "pre_sale",
        "紧急·售前问题优先处理",
        "尊敬的{customer_name}您好：\n\n您的咨询（工单号 {number}）已被列为优先处理事项，"
        "专人正在跟进，我们会在 {due_date} 前与您联系并给出明确方案。\n\n给您带来的困扰，敬请谅解。\n"
        "客户服务中心 {handler_name}",
        "Urgent · pre-sale priority handling",
        "Dear {customer_name},\n\nYour enquiry (reference {number}) has been given priority and a member "
        "of our team is following it up personally. We will contact you with a clear proposal by "
        "{due_date}.\n\nWe apologise for the trouble.\n{handler_name}, Customer Service",
    ),
    (
        "urgent", "after_sale",
        "紧急·售后问题加急处理",
        "尊敬的{customer_name}您好：\n\n非常抱歉给您带来困扰。您反映的问题（工单号 {number}）已加急处理，"
        "由专人全程跟进，我们承诺于 {due_date} 前给您处理结果，处理过程中如有进展将第一时间告知您。\n\n"
        "客户服务中心 {handler_name}",
        "Urgent · after-sale expedited handling",
        "Dear {customer_name},\n\nWe are very sorry for the trouble. Your complaint (reference {number}) is "
        "being expedited and one person follows it from start to finish. We will have a result for you by "
        "{due_date} and will tell you of any progress straight away.\n\n{handler_name}, Customer Service",
    ),
    (
        "urgent", "technical",
        "紧急·技术故障加急排查",
        "尊敬的{customer_name}您好：\n\n您反馈的故障（工单号 {number}）已升级至技术团队加急排查，"
        "我们将于 {due_date} 前给出处理结果。如故障影响您的正常使用，可先告知我们，我们将为您提供临时解决方案。\n\n"
        "客户服务中心 {handler_name}",
        "Urgent · technical fault expedited",
        "Dear {customer_name},\n\nThe fault you reported (reference {number}) has been escalated to our "
        "technical team for urgent investigation; you will have a result by {due_date}. If the fault stops "
        "you from using the service, tell us and we will arrange a temporary solution.\n\n"
        "{handler_name}, Customer Service",
    ),
    (
        "major", "pre_sale",
        "重大·售前问题专项处理",
        "尊敬的{customer_name}您好：\n\n对于您反映的问题（工单号 {number}），我们高度重视，"
        "已成立专项小组由主管直接负责跟进。我们将于 {due_date} 前与您沟通处理方案，期间如有任何需要，请随时联系我们。\n\n"
        "再次向您致以诚挚的歉意。\n客户服务中心 {handler_name}",
        "Major · pre-sale special handling",
        "Dear {customer_name},\n\nWe take the matter you raised (reference {number}) very seriously. A "
        "dedicated team led by a supervisor is following it up, and we will discuss a solution with you by "
        "{due_date}. Please contact us at any time if you need anything in the meantime.\n\n"
        "Please accept our sincere apologies.\n{handler_name}, Customer Service",
    ),
    (
        "major", "after_sale",
        "重大·售后问题专项处理",
        "尊敬的{customer_name}您好：\n\n对于此次给您造成的损失和困扰，我们深表歉意。您的投诉（工单号 {number}）"
        "已由主管牵头专项处理，我们将于 {due_date} 前给您明确的处理结果及补救方案，并全程向您通报进展。\n\n"
        "客户服务中心 {handler_name}",
        "Major · after-sale special handling",
        "Dear {customer_name},\n\nWe sincerely apologise for the loss and trouble this has caused you. Your "
        "complaint (reference {number}) is being handled by a team led by a supervisor; you will have a "
        "clear result and remedy by {due_date}, and we will keep you informed throughout.\n\n"
        "{handler_name}, Customer Service",
    ),
    (
        "major", "technical",
        "重大·技术故障专项处理",
        "尊敬的{customer_name}您好：\n\n您反馈的问题（工单号 {number}）已启动重大故障处理流程，"
        "技术负责人正在牵头排查，我们将于 {due_date} 前告知您故障原因及解决方案，并持续向您通报处理进展。\n\n"
        "对此给您带来的不便，我们深表歉意。\n客户服务中心 {handler_name}",
        "Major · technical incident",
        "Dear {customer_name},\n\nThe problem you reported (reference {number}) is being handled as a major "
        "incident, led by our head of engineering. We will tell you the cause and the solution by "
        "{due_date} and keep you updated on progress.\n\nWe apologise for the inconvenience.\n"
        "{handler_name}, Customer Service",
    ),
)


def templates_seed(template_model, *, now: datetime) -> None:
    """Create the default templates where the centre has none for that cell and language."""
    for severity, service_type, zh_name, zh_body, en_name, en_body in DEFAULT_TEMPLATES:
        for language, body in (("zh-hans", zh_body), ("en", en_body)):
            fields = {field.name for field in template_model._meta.get_fields()}
            names = {"name_en": en_name} if "name_en" in fields else {}  # older migrations: no name_en yet
            template_model.objects.get_or_create(
                language=language, severity=severity, service_type=service_type, name=zh_name,
                defaults={"body": body, "updated_at": now, **names},
            )

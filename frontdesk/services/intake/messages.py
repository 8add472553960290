"""The visit's message codes and the labels the rules print (party, step, notice, guardian)."""

from __future__ import annotations

from ...core.messages import define, define_field

define(
    "visit.waiver_amount",
    zh="“{business}”的减免金额须大于 0 且不超过应收的 {fee}，请重新输入。",
    en="The waiver on “{business}” must be more than 0 and at most the {fee} due; "
    "please enter it again.",
)
define_field("waiver.amount", zh="减免金额", en="Amount waived")
define(
    "visit.not_open",
    zh="该接待已{status}，不能再修改。如需继续，请恢复挂起的接待或新开接待。",
    en="This visit is {status} and can't be changed; resume it or open a new one.",
)
define(
    "visit.unknown_business",
    zh="业务编码“{code}”不在当前业务目录中，请从业务列表中选择。",
    en="Business code “{code}” is not in the current catalogue; please pick from the list.",
)
define(
    "visit.customer_required",
    zh="“{business}”需要先识别客户：请读取客户证件（或登记单位信息）。",
    en="“{business}” needs the customer identified first: read their ID (or register the unit).",
)
define(
    "visit.step_missing",
    zh="“{business}”需要完成身份核验步骤“{step}”，请先完成该步骤。",
    en="“{business}” needs the ID verification step “{step}”; please complete it first.",
)
define(
    "visit.step_failed",
    zh="“{business}”所需的身份核验步骤“{step}”未通过：{detail}",
    en="The ID verification step “{step}” needed by “{business}” failed: {detail}",
)
define(
    "visit.manual_entry_forbidden",
    zh="“{business}”不允许手工录入居民身份证办理，请使用读卡器读取原件。",
    en="“{business}” can't be done on a hand-typed resident ID card; read the card on the reader.",
)
define(
    "visit.face_required",
    zh="“{business}”必须通过人像比对，请先进行人像比对。",
    en="“{business}” requires a passed face comparison; please run it first.",
)
define(
    "visit.agent_required",
    zh="由{party}办理时，须读取经办人本人的有效证件。",
    en="When {party} acts, the agent's own valid ID must be read.",
)
define(
    "visit.unit_letter_required",
    zh="单位客户须留存加盖红章的单位委托证明，请先扫描委托书。",
    en="Unit customers must leave the authorisation letter with the red seal; please scan it.",
)
define(
    "visit.item_not_found",
    zh="受理单上没有这一项业务，可能已被删除，请刷新后重试。",
    en="That business is no longer on the slip; please refresh and try again.",
)
define(
    "visit.payment_not_found",
    zh="这笔支付已不在受理单上，请刷新后重试。",
    en="That payment is no longer on the slip; please refresh and try again.",
)
define(
    "visit.balance_short",
    zh="号码 {number} 余额 {balance} 不足以支付 {amount}，请改用其他支付方式。",
    en="Number {number} has {balance}, not enough for {amount}; please use another method.",
)
define(
    "visit.cancel_reason",
    zh="取消接待须填写原因。",
    en="Please give a reason for cancelling the visit.",
)
define(
    "visit.settled_has_payments",
    zh="本次接待已收款 {paid}，请先退回或删除支付后再取消。",
    en="{paid} has been taken on this visit; remove or return the payments before cancelling.",
)

define(
    "visit.party_step_missing",
    zh="“{business}”需要完成{field}的身份核验步骤“{step}”，请先完成该步骤。",
    en="“{business}” needs the ID verification step “{step}” of the {field}; please "
    "complete it first.",
)
define(
    "visit.party_step_failed",
    zh="“{business}”所需的{field}身份核验步骤“{step}”未通过：{detail}",
    en="The {field}'s ID verification step “{step}” needed by “{business}” failed: {detail}",
)
define(
    "visit.party_face_required",
    zh="“{business}”须由{field}本人通过人像比对，请先为{field}进行人像比对。",
    en="“{business}” requires the {field} in person to pass a face comparison; please run it.",
)
define(
    "visit.customer_document_required",
    zh="代办“{business}”须登记客户本人的证件：请在读卡器上读取客户证件原件，或留存其证件复印件。",
    en="When an agent does “{business}”, the customer's own document must be registered: "
    "read the original on the card reader or retain a copy of it.",
)
define(
    "visit.fraud_notice_required",
    zh="“{business}”须由客户签署《涉诈风险告知书》（纸质或电子签名），请先完成告知并签署。",
    en="“{business}” needs the customer's signed anti-fraud risk notice (on paper or "
    "paperless); please have it signed first.",
)
define(
    "visit.fraud_notice_method",
    zh="{field}只能是纸质签署或电子签名。",
    en="{field} must be signed on paper or paperless.",
)
define(
    "visit.guardian_relationship",
    zh="请选择{field}：父母或其他法定监护人。",
    en="Please choose the {field}: parent or other legal guardian.",
)
define(
    "visit.guardian_not_adult",
    zh="监护人须年满 18 周岁，当前读取的经办人证件不满足，请由成年监护人办理。",
    en="The guardian must be 18 or over; the agent's document read is not. An adult "
    "guardian must act.",
)
define(
    "visit.guardian_agent_required",
    zh="请先读取监护人（经办人）本人的证件，再登记其与客户的关系。",
    en="Read the guardian's (agent's) own ID first, then record their relationship.",
)
define_field("guardian_relationship", zh="与客户关系", en="Relationship to the customer")
define_field("fraud_notice", zh="涉诈风险告知书", en="Anti-fraud risk notice")

for _party, (_zh, _en) in {
    "customer": ("客户", "customer"),
    "agent": ("经办人", "agent"),
    "guardian": ("监护人", "guardian"),
    "new_owner": ("新机主", "new owner"),
}.items():
    define_field(f"party.{_party}", zh=_zh, en=_en)
GUARDIAN_RELATIONSHIPS = {"parent": "父母", "guardian": "其他法定监护人"}
FRAUD_NOTICE_METHODS = {"paper": "纸质签署", "paperless": "电子签名"}
#: 入网 and 过户 need a signed 涉诈风险告知书 (Anti-Telecom-Fraud Law, 2022)
FRAUD_NOTICE_EFFECTS = frozenset({"add_line", "change_owner"})
GUARDIAN_MIN_AGE = 18

STEP_LABELS = {
    "capture": "读取证件",
    "check": "证件校验",
    "match": "人证比对",
    "retain": "证件留存",
    "limits": "一证五号核查",
}

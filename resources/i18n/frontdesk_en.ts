<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
    <context>
        <name>AfterSalesWindow</name>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="87" />
            <source>售后三包查询</source>
            <translation>After-sales / warranty look-up</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="108" />
            <source>查询</source>
            <translation>Search</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="112" />
            <source>扫描或输入 IMEI / S/N、客户手机号、受理单号或保修卡号，按 Enter 查询</source>
            <translation>Scan or type IMEI / S/N, customer phone, slip no. or card no., then Enter</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="117" />
            <source>查询 (Enter)</source>
            <translation>Search (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="141" />
            <source>保修卡</source>
            <translation>Warranty card</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="146" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="144" />
            <source>保修卡号</source>
            <translation>Card no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="147" />
            <source>销售</source>
            <translation>Sale</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="148" />
            <source>机器</source>
            <translation>Device</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="149" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="148" />
            <source>客户</source>
            <translation>Customer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="150" />
            <source>7 天退货</source>
            <translation>7-day return</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="151" />
            <source>15 天换货</source>
            <translation>15-day exchange</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="152" />
            <source>换机条件</source>
            <translation>Replacement</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="153" />
            <source>维修</source>
            <translation>Repair</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="154" />
            <source>备机</source>
            <translation>Loan phone</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="175" />
            <source>三包部件（维修天数已顺延）</source>
            <translation>Parts under warranty (repair days added)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="177" />
            <source>三包记录</source>
            <translation>Warranty history</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="199" />
            <source>关闭 (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="240" />
            <source>请扫描或输入串号、手机号、受理单号或保修卡号。</source>
            <translation>Please scan or type a serial, phone, slip no. or card no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="262" />
            <source>没有找到“{key}”的保修卡。请核对串号（机身或包装盒上的条码）或客户手机号。</source>
            <translation>No warranty card found for “{key}”. Please check the serial (barcode on the device or its box) or the customer's phone.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="267" />
            <source>找到 {n} 张保修卡；↑/↓ 选择，F2–F7、Ctrl+P 办理。</source>
            <translation>{n} card(s) found; ↑/↓ to choose, F2–F7 and Ctrl+P to act.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="314" />
            <source>发票 {no}</source>
            <translation>Invoice {no}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="316" />
            <source>入网协议 {no}</source>
            <translation>Access agreement {no}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="319" />
            <source>受理单 {slip}</source>
            <translation>Slip {slip}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="322" />
            <source>{date}（销售后第 {days} 天）　{amount}　{doc}</source>
            <translation>{date} (day {days} after the sale)　{amount}　{doc}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="351" />
            <source>已满足（两次维修未修复或维修超过 60 天），可换机</source>
            <translation>Due (two repairs failed or a repair held over 60 days): replace the device</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="356" />
            <source>未满足（未修复 {n} 次，最长维修 {days} 天）</source>
            <translation>Not due ({n} failed repairs, longest repair {days} days)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="363" />
            <source>维修中：{since} 送修；累计维修 {days} 天（保修期顺延）</source>
            <translation>In repair since {since}; {days} repair days in all (added to the periods)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="371" />
            <source>不在维修中；累计维修 {days} 天</source>
            <translation>Not in repair; {days} repair days in all</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="376" />
            <source>已借出备机 {serial}，未归还</source>
            <translation>Loan phone {serial} is out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="380" />
            <source>无借出</source>
            <translation>None out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="386" />
            <source>已退货，保修卡已关闭</source>
            <translation>Returned; the card is closed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="388" />
            <source>已换货，保修卡已关闭</source>
            <translation>Exchanged; the card is closed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="395" />
            <source>可办理</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="339" />
            <source>不可办理（限销售后 {n} 天内）</source>
            <translation>Not available (only within {n} days of the sale)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="345" />
            <source>不可办理（限销售后 {n} 天内，或符合换机条件）</source>
            <translation>Not available (within {n} days of the sale, or when a replacement is due)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="412" />
            <source>{closed}，不能再办理三包服务。</source>
            <translation>{closed}: no further warranty service can be recorded.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="415" />
            <source>该机已在维修中（{since} 送修），请先登记取机（F3）。</source>
            <translation>The device is already in repair (since {since}); record the hand-back first (F3).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="419" />
            <source>该机目前没有在修记录，不能登记取机。</source>
            <translation>There is no open repair for this device to hand back.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="421" />
            <source>该保修卡没有未归还的备机。</source>
            <translation>No loan phone is out on this card.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="424" />
            <source>已超过 {n} 天退货期（今天是销售后第 {days} 天），不能退货；可按规定换货或维修。</source>
            <translation>The {n}-day return period has passed (today is day {days} after the sale); exchange or repair may still apply.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="428" />
            <source>换货须在销售后 {n} 天内办理（销售当日不计入；或两次维修未修复、维修超过 60 天）；今天是第 {days} 天。</source>
            <translation>Exchange is for the {n} days after the sale (the sale day not counted; or after two failed repairs, or a repair held over 60 days); today is day {days}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="441" />
            <source>请先查询并选择一张保修卡。</source>
            <translation>Please look up and choose a warranty card first.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="451" />
            <source>{action}　保修卡 {card}　{brand} {model}</source>
            <translation>{action}　card {card}　{brand} {model}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="492" />
            <source>已登记送修：{card}。保修期自今天起按维修天数顺延。</source>
            <translation>Repair hand-in recorded: {card}. The periods are extended by the repair days.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="493" />
            <source>已登记取机：{card}。</source>
            <translation>Repair hand-back recorded: {card}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="494" />
            <source>已登记借出备机 {serial}：{card}。</source>
            <translation>Loan phone {serial} lent: {card}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="495" />
            <source>已登记备机归还：{card}。</source>
            <translation>Loan phone returned: {card}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="511" />
            <source>退货：保修卡 {card}</source>
            <translation>Return: card {card}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="513" />
            <source>{brand} {model}（{serial}），退还 {amount}，退款方式：{method}。</source>
            <translation>{brand} {model} ({serial}): refund {amount} by {method}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="521" />
            <source>七日内退货</source>
            <translation>Return within 7 days</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="523" />
            <source>换货：保修卡 {card}</source>
            <translation>Exchange: card {card}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="524" />
            <source>{brand} {model}：原机 {old} 换新机 {new}。</source>
            <translation>{brand} {model}: device {old} exchanged for {new}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="527" />
            <source>十五日内性能故障换货</source>
            <translation>Exchange for a fault within 15 days</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="555" />
            <source>退货完成：退款受理单 {slip}，请退还客户 {amount}。串号 {serial} 已可重新销售。</source>
            <translation>Returned: refund slip {slip}; please refund {amount} to the customer. Serial {serial} can be sold again.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="580" />
            <source>换货完成：新保修卡 {card}，原保修卡 {old} 已关闭。请打印新保修卡交给客户。</source>
            <translation>Exchanged: new card {card}; card {old} is closed. Please print the new card for the customer.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="613" />
            <source>已打印退款受理单和收据。</source>
            <translation>Refund slip and receipt printed.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="615" />
            <source>退款单据未全部打印，已存档，可在接待记录中重新打印。</source>
            <translation>Not every refund document was printed; they are archived and can be printed again from the visit history.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="631" />
            <source>已打印保修卡 {card}。</source>
            <translation>Warranty card {card} printed.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="652" />
            <source>补打副本已存档（{card}），未打印：打印已取消。</source>
            <translation>The copy of {card} is archived but not printed: printing was cancelled.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="657" />
            <source>已补打保修卡 {card}（{printer}）。</source>
            <translation>Copy of warranty card {card} printed ({printer}).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="66" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="232" />
            <source>送修</source>
            <translation>Repair in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="67" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="238" />
            <source>取机</source>
            <translation>Repair out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="68" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="248" />
            <source>借出备机</source>
            <translation>Lend loan phone</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="69" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="254" />
            <source>归还备机</source>
            <translation>Loan phone back</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="70" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="260" />
            <source>退货</source>
            <translation>Return</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="71" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="274" />
            <source>换货</source>
            <translation>Exchange</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="80" />
            <source>已退货</source>
            <translation>Returned</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="82" />
            <source>已换货</source>
            <translation>Exchanged</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="85" />
            <source>维修中</source>
            <translation>In repair</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="87" />
            <source>备机借出</source>
            <translation>Loan phone out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="89" />
            <source>可退货</source>
            <translation>Return possible</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="91" />
            <source>可换货</source>
            <translation>Exchange possible</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="94" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="194" />
            <source>在保</source>
            <translation>Covered</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="96" />
            <source>部分在保</source>
            <translation>Partly covered</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="98" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="196" />
            <source>已过保</source>
            <translation>Out of warranty</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="111" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="347" />
            <source>已修复</source>
            <translation>Fixed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="113" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="348" />
            <source>未修复</source>
            <translation>Not fixed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="120" />
            <source>退款受理单 {slip}</source>
            <translation>refund slip {slip}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="126" />
            <source>新保修卡 {card}，新串号 {serial}</source>
            <translation>new card {card}, new serial {serial}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="145" />
            <source>品牌型号</source>
            <translation>Brand / model</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="146" />
            <source>串号</source>
            <translation>Serial</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="147" />
            <source>销售日期</source>
            <translation>Sale date</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="149" />
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="174" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="171" />
            <source>部件</source>
            <translation>Part</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="172" />
            <source>三包期</source>
            <translation>Period</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="173" />
            <source>保修至</source>
            <translation>Covered until</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="185" />
            <source>{months} 个月</source>
            <translation>{months} months</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="189" />
            <source>{end}（含维修 {days} 天）</source>
            <translation>{end} (incl. {days} repair days)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="234" />
            <source>故障现象</source>
            <translation>Fault</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="241" />
            <source>是否修复</source>
            <translation>Fixed?</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="242" />
            <source>处理情况</source>
            <translation>Handling</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="1" />
            <source>故障原因</source>
            <translation>Cause of the fault</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="1" />
            <source>随销售单作废</source>
            <translation>Voided with the sale</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="1" />
            <source>冲正受理单 {slip}</source>
            <translation>reversal slip {slip}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="1" />
            <source>已作废</source>
            <translation>Voided</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="1" />
            <source>换货新发，原保修卡 {old}</source>
            <translation>issued in an exchange for card {old}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="1" />
            <source>销售已作废，保修卡已关闭</source>
            <translation>The sale was voided; the card is closed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="1" />
            <source>七日内性能故障，客户选择换货</source>
            <translation>Fault within 7 days; the customer chose an exchange</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="243" />
            <source>维修人员</source>
            <translation>Technician</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="250" />
            <source>备机串号（扫描）</source>
            <translation>Loan phone serial (scan)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="256" />
            <source>核对备机完好后按 Enter 登记归还。</source>
            <translation>Check the loan phone is intact, then press Enter to record it back.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="263" />
            <source>退款方式</source>
            <translation>Refund method</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="266" />
            <source>退款凭证号（非现金）</source>
            <translation>Refund reference (non-cash)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="270" />
            <source>退货退还全部货款并释放串号，须值班经理授权。</source>
            <translation>A return refunds the full price and frees the serial; the duty manager authorises it.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="276" />
            <source>新机串号（扫描）</source>
            <translation>New device serial (scan)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="277" />
            <source>换货后原保修卡关闭，新机另发保修卡，须值班经理授权。</source>
            <translation>The old card closes and the new device gets its own card; the duty manager authorises it.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="283" />
            <source>补打保修卡</source>
            <translation>Reprint warranty card</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="288" />
            <source>补打原因</source>
            <translation>Reason for the copy</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="289" />
            <source>客户保修卡遗失</source>
            <translation>Customer lost the warranty card</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="325" />
            <source>返回 (Esc)</source>
            <translation>Back (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="361" />
            <source>确认{action} (Enter)</source>
            <translation>Confirm {action} (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales_parts.py" line="415" />
            <source>请填写“{field}”。</source>
            <translation>Please fill in “{field}”.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="345" />
            <source>不可办理（限销售后第 {first}–{n} 天，或符合换机条件）</source>
            <translation>Not available (days {first}–{n} after the sale, or when a replacement is due)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/aftersales.py" line="428" />
            <source>换货须在销售后第 {first} 至 {n} 天内办理（或两次维修未修复、维修超过 60 天）；今天是第 {days} 天。</source>
            <translation>Exchange is for days {first}–{n} after the sale (or after two failed repairs, or a repair held over 60 days); today is day {days}.</translation>
        </message>
    </context>
    <context>
        <name>BusinessForm</name>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="104" />
            <source>客户办理的号码</source>
            <translation>The customer's number</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="105" />
            <source>服务号码</source>
            <translation>Service number</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="111" />
            <source> [扫码]</source>
            <translation> [scan]</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="117" />
            <source>Enter 下一项 · Ctrl+Enter 加入受理单 · Esc 返回业务列表</source>
            <translation>Enter next · Ctrl+Enter add to slip · Esc back to the list</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="127" />
            <source>金额：按“{field}”</source>
            <translation>amount: from “{field}”</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="131" />
            <source>费用：{fee}</source>
            <translation>fee {fee}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="133" />
            <source>免费</source>
            <translation>Free</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="134" />
            <source>办理时限 {m} 分钟</source>
            <translation>handling limit {m} min</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="136" />
            <source>须人像比对</source>
            <translation>face comparison required</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="145" />
            <source>办理条件：</source>
            <translation>Conditions: </translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="200" />
            <source>年-月-日</source>
            <translation>year-month-day</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="319" />
            <source>留空则按客户资料填写</source>
            <translation>left empty, taken from the customer's record</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_form.py" line="270" />
            <source>已读取：发票号码 {number}，开票日期 {date}</source>
            <translation>Read: invoice number {number}, issued {date}</translation>
        </message>
        <message>
            <source>该号码欠费 {a}，已按欠费金额填写。</source>
            <translation>This number owes {a}; the arrears are filled in.</translation>
        </message>
        <message>
            <source>（当前套餐）</source>
            <translation> (current plan)</translation>
        </message>
    </context>
    <context>
        <name>BusinessPanel</name>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="70" />
            <source>&lt;b&gt;办理业务&lt;/b&gt;</source>
            <translation>&lt;b&gt;Businesses&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="73" />
            <source>业务名称、拼音首字母（如 bk）或编码 (F7)</source>
            <translation>Business name, pinyin initials (e.g. bk) or code (F7)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="83" />
            <source>经理授权办理</source>
            <translation>Manager override</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="88" />
            <source>读卡填入新机主证件</source>
            <translation>Fill new owner's ID from reader</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="137" />
            <source>没有找到相符的业务，请换个名称、拼音首字母或编码再试。</source>
            <translation>No business matches; please try another name, pinyin initials or code.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="175" />
            <source>请先更正标红的项目。</source>
            <translation>Please correct the items marked in red first.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="195" />
            <source>“{name}”已加入受理单。</source>
            <translation>“{name}” is on the slip.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="217" />
            <source>如确需办理，可请值班经理授权（Ctrl+Shift+A）；授权将记录在受理单上。</source>
            <translation>If it must be done, the duty manager can authorise it (Ctrl+Shift+A); the approval is recorded on the slip.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="232" />
            <source>越过办理条件：{name}</source>
            <translation>Override the conditions of {name}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/business_panel.py" line="248" />
            <source>已从读卡器填入新机主的证件信息。</source>
            <translation>The new owner's ID was filled in from the reader.</translation>
        </message>
        <message>
            <source>缴费充值</source>
            <translation>Payments and top-ups</translation>
        </message>
        <message>
            <source>号码与卡</source>
            <translation>Numbers and SIM cards</translation>
        </message>
        <message>
            <source>套餐与服务</source>
            <translation>Plans and services</translation>
        </message>
        <message>
            <source>账户与过户</source>
            <translation>Accounts and ownership</translation>
        </message>
        <message>
            <source>终端销售</source>
            <translation>Handsets and devices</translation>
        </message>
        <message>
            <source>查询与打印</source>
            <translation>Enquiries and printing</translation>
        </message>
        <message>
            <source>咨询投诉</source>
            <translation>Enquiries and complaints</translation>
        </message>
        <message>
            <source>“{query}”对应 {n} 项业务，请按数字键选择，或 ↓ 选中后按 Enter。</source>
            <translation>“{query}” fits {n} businesses: press its number, or ↓ and Enter.</translation>
        </message>
        <message>
            <source>常用</source>
            <translation>Most used</translation>
        </message>
        <message>
            <source>有多项业务相符，请先按数字键或 ↓ 选择要办理的业务。</source>
            <translation>Several businesses match: press a number or ↓ to choose one first.</translation>
        </message>
    </context>
    <context>
        <name>CancelDialog</name>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="26" />
            <source>客户改变主意</source>
            <translation>Customer changed their mind</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="27" />
            <source>客户证件不全，改日再来</source>
            <translation>Documents incomplete, customer will come back</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="28" />
            <source>客户离开</source>
            <translation>Customer left</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="29" />
            <source>办理条件不满足</source>
            <translation>Conditions not met</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="87" />
            <source>取消接待</source>
            <translation>Cancel visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="89" />
            <source>取消后本次接待的业务不会办理，也不会收费。请选择或填写取消原因：</source>
            <translation>After cancelling, nothing of this visit is done or charged. Please choose or type the reason:</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="99" />
            <source>其他原因</source>
            <translation>Other reason</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="106" />
            <source>确认取消接待</source>
            <translation>Cancel the visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="107" />
            <source>返回 (Esc)</source>
            <translation>Back (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="121" />
            <source>请选择或填写取消原因。</source>
            <translation>Please choose or type a reason.</translation>
        </message>
    </context>
    <context>
        <name>ChangePasswordDialog</name>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="50" />
            <source>您好，您的密码已超过规定期限未修改。为保护客户信息，请先设置新密码：至少 8 位，包含字母和数字，不含工号，且不能与原密码相同。</source>
            <translation>Hello, your password has not been changed for longer than allowed. To protect customer data, please set a new one: at least 8 characters with letters and digits, not containing your username, and different from the old one.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="47" />
            <source>修改密码</source>
            <translation>Change password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="52" />
            <source>您好，这是您第一次登录（或密码已被重置）。为保护客户信息，请先设置您自己的新密码：至少 8 位，包含字母和数字，不含工号。</source>
            <translation>Hello, this is your first sign-in (or your password was reset). To protect customer data, please set your own password: at least 8 characters with letters and digits, not containing your username.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="57" />
            <source>新密码至少 8 位，包含字母和数字，不含工号。</source>
            <translation>The new password needs at least 8 characters with letters and digits, not containing the username.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="69" />
            <source>原密码</source>
            <translation>Old password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="70" />
            <source>新密码</source>
            <translation>New password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="71" />
            <source>再次输入新密码</source>
            <translation>New password again</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="78" />
            <source>确定 (Enter)</source>
            <translation>OK (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="80" />
            <source>退出登录 (Esc)</source>
            <translation>Sign out (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="80" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/password.py" line="96" />
            <source>两次输入的新密码不一致，请重新输入。</source>
            <translation>The two new passwords differ; please enter them again.</translation>
        </message>
    </context>
    <context>
        <name>ComplaintDialog</name>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="59" />
            <source>投诉登记（每诉必录）</source>
            <translation>Complaint (every complaint recorded)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="72" />
            <source>投诉类别</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="75" />
            <source>城区</source>
            <translation>City</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="76" />
            <source>郊县 / 农村</source>
            <translation>Suburb / rural</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="77" />
            <source>所在区域</source>
            <translation>Area</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="81" />
            <source>处理时限</source>
            <translation>Deadline</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="84" />
            <source>客户姓名</source>
            <translation>Customer name</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="87" />
            <source>联系电话</source>
            <translation>Contact phone</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="89" />
            <source>客户信息将从当前接待带入（如已读取证件）。</source>
            <translation>Customer details come from the current visit (if the ID was read).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="94" />
            <source>客户反映的问题、时间、地点、涉及号码等</source>
            <translation>What the customer reports: problem, time, place, numbers involved</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="96" />
            <source>投诉内容</source>
            <translation>Complaint</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="99" />
            <source>登记待处理</source>
            <translation>Record for follow-up</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="100" />
            <source>当场解决（填写答复）</source>
            <translation>Solved at the counter (give the answer)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="101" />
            <source>升级总部工单（填写说明）</source>
            <translation>Escalate to head office (explain)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="102" />
            <source>处理方式</source>
            <translation>Handling</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="107" />
            <source>答复 / 说明</source>
            <translation>Answer / explanation</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="108" />
            <source>首问负责人</source>
            <translation>First responsible</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="113" />
            <source>保存 (Ctrl+S)</source>
            <translation>Save (Ctrl+S)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="118" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="161" />
            <source>{due} 前{note}</source>
            <translation>by {due}{note}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="171" />
            <source>（登记后由首问负责人跟进）</source>
            <translation>(the first responsible clerk follows up)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="172" />
            <source>已给客户的答复及处理结果</source>
            <translation>The answer given to the customer and the result</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="173" />
            <source>需要总部处理的原因及已做的核查</source>
            <translation>Why head office must handle it, and what was checked</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/complaint_form.py" line="216" />
            <source>投诉单 {number} 已登记。</source>
            <translation>Complaint {number} recorded.</translation>
        </message>
    </context>
    <context>
        <name>CounterTools</name>
        <message>
            <location filename="../../frontdesk/gui/tools.py" line="35" />
            <source>无法打开</source>
            <translation>Cannot open</translation>
        </message>
    </context>
    <context>
        <name>CounterWindow</name>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="125" />
            <source>模拟设备：{devices} — 仅供演示和培训，不得办理真实业务。请 IT 人员在设置中配置真实设备。</source>
            <translation>Simulated devices: {devices} — for demos and training only, not for real business. IT must configure the real devices in the settings.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="119" />
            <source>读卡器</source>
            <translation>ID-card reader</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="120" />
            <source>人像比对</source>
            <translation>face comparison</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="121" />
            <source>签名板</source>
            <translation>signature pad</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="57" />
            <source>营业厅前台 — {branch}（{code}）</source>
            <translation>Front desk — {branch} ({code})</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="104" />
            <source>营业员：{name}（{user}）　{branch}/{ws}</source>
            <translation>Clerk: {name} ({user})   {branch}/{ws}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="165" />
            <source>当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再叫号。</source>
            <translation>The current visit isn't finished: settle (F10), suspend (F11) or cancel (F12) it before calling the next.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="176" />
            <source>目前没有等候的客户。</source>
            <translation>Nobody is waiting.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="185" />
            <source>当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再开始新的接待。</source>
            <translation>The current visit isn't finished: settle (F10), suspend (F11) or cancel (F12) it before starting another.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="202" />
            <source>已开始接待{ticket}。请读取客户证件（F2），或直接办理无需证件的业务（F7）。</source>
            <translation>Visit started{ticket}. Read the customer's ID (F2), or go straight to a business without ID (F7).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="203" />
            <source>（散客）</source>
            <translation> (walk-in)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="241" />
            <source>等待接待下一位客户：F1 叫号，Ctrl+N 散客接待。</source>
            <translation>Ready for the next customer: F1 call, Ctrl+N walk-in.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="262" />
            <source>客户：尚未识别（充值等无需证件的业务可直接办理）</source>
            <translation>Customer: not identified yet (top-ups and other businesses without ID can go ahead)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="275" />
            <source>预付费</source>
            <translation>prepaid</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="275" />
            <source>后付费</source>
            <translation>postpaid</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="277" />
            <source>，余额 {b}</source>
            <translation>, balance {b}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="279" />
            <source>，欠费 {a}</source>
            <translation>, arrears {a}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="282" />
            <source>客户：{name}　{id}　{tier}　号码：{lines}</source>
            <translation>Customer: {name}   {id}   {tier}   numbers: {lines}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="286" />
            <source>无</source>
            <translation>none</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="313" />
            <source>尚未开始接待，无需收款。</source>
            <translation>No visit in progress; nothing to take.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="339" />
            <source>已从受理单删除该业务。</source>
            <translation>The business was removed from the slip.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="347" />
            <source>已删除该笔收款，请按实际退还客户。</source>
            <translation>Payment removed; please hand the money back to the customer.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="358" />
            <source>费用已减免，授权已记录。</source>
            <translation>Fee waived; the approval is recorded.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="367" />
            <source>减免所选业务的费用</source>
            <translation>Waive the fee of the selected business</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="372" />
            <source>尚未开始接待，没有可结算的受理单。</source>
            <translation>No visit in progress; there is no slip to settle.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="386" />
            <source>结算完成：受理单 {slip}，收据 {receipt}。</source>
            <translation>Settled: slip {slip}, receipt {receipt}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="411" />
            <location filename="../../frontdesk/gui/main_window.py" line="458" />
            <source>当前没有进行中的接待。</source>
            <translation>No visit in progress.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="417" />
            <source>接待已挂起，稍后可按 Shift+F11 恢复。</source>
            <translation>Visit suspended; resume it later with Shift+F11.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="430" />
            <source>请先挂起（F11）或结算当前接待，再恢复其他接待。</source>
            <translation>Please suspend (F11) or settle the current visit before resuming another.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="434" />
            <source>没有挂起的接待。</source>
            <translation>No suspended visits.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="445" />
            <source>已恢复挂起的接待，可继续办理。</source>
            <translation>The suspended visit is back; please carry on.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/main_window.py" line="466" />
            <source>接待已取消，原因已记录。</source>
            <translation>Visit cancelled; the reason is recorded.</translation>
        </message>
        <message>
            <source>挂起待恢复：{n}（Shift+F11）</source>
            <translation>Suspended, waiting: {n} (Shift+F11)</translation>
        </message>
        <message>
            <source>签退前请处理当前接待</source>
            <translation>Please deal with the current visit before signing out</translation>
        </message>
        <message>
            <source>当前接待（{who}）尚未结算：单上 {n} 项业务，已收款 {paid}。签退会挂起这笔接待，款项随挂起的接待保留，需由您或同事恢复（Shift+F11）后结算或退还。</source>
            <translation>The current visit ({who}) is not settled: {n} business(es) on the slip, {paid} taken. Signing out suspends it; the money stays with the suspended visit until you or a colleague resume it (Shift+F11) to settle or hand it back.</translation>
        </message>
        <message>
            <source>未识别客户</source>
            <translation>customer not identified</translation>
        </message>
        <message>
            <source>挂起并签退 (&amp;S)</source>
            <translation>Suspend and sign out (&amp;S)</translation>
        </message>
        <message>
            <source>返回接待 (Esc)</source>
            <translation>Back to the visit (Esc)</translation>
        </message>
        <message>
            <source>已取消签退，请继续当前接待。</source>
            <translation>Sign-out cancelled; please carry on with the visit.</translation>
        </message>
        <message>
            <source>本柜台今日（{day}）已日结，不能开始新的接待或收款。请引导客户到其他柜台办理；接待记录（F9）和报表仍可查看。</source>
            <translation>This counter's day ({day}) is closed: no new visit or payment. Please direct customers to another counter; the visit history (F9) and reports remain available.</translation>
        </message>
        <message>
            <source>今日已日结：接待记录 F9，营业报表 Ctrl+R。</source>
            <translation>Day closed: visit history F9, reports Ctrl+R.</translation>
        </message>
        <message>
            <source>绿色通道·{group}</source>
            <translation>Green channel · {group}</translation>
        </message>
        <message>
            <source>{number} 欠费 {a}，缴清后恢复</source>
            <translation>{number} owes {a}; restored once paid</translation>
        </message>
        <message>
            <source>总部已冻结该客户的级别</source>
            <translation>frozen by head office</translation>
        </message>
        <message>
            <source>{held}（已冻结：{why}；现按{tier}服务）</source>
            <translation>{held} (frozen: {why}; served as {tier})</translation>
        </message>
        <message>
            <source>“{name}”没有应收费用，无需减免。</source>
            <translation>“{name}” has no fee due; there is nothing to waive.</translation>
        </message>
        <message>
            <source>已减免“{name}”的费用 {amount}，授权已记录。</source>
            <translation>{amount} of the fee for “{name}” waived; the authorisation is recorded.</translation>
        </message>
        <message>
            <source>减免费用：{name}，应收 {fee}，减免 {amount}</source>
            <translation>Waive a fee: {name}, {fee} due, waive {amount}</translation>
        </message>
        <message>
            <source>设置已保存。界面语言和文字大小在重新登录后生效。</source>
            <translation>Settings saved. Language and text size apply from the next sign-in.</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
    </context>
    <context>
        <name>HallView</name>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="144" />
            <source>大厅监控</source>
            <translation>Hall view</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="156" />
            <source>刷新 (F5)</source>
            <translation>Refresh (F5)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="167" />
            <source>业务类别</source>
            <translation>Service line</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="168" />
            <source>等候人数</source>
            <translation>Waiting</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="169" />
            <source>最久等候</source>
            <translation>Longest wait</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="170" />
            <source>临近</source>
            <translation>Near limit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="171" />
            <source>超时</source>
            <translation>Over limit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="176" />
            <source>窗口</source>
            <translation>Counter</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="177" />
            <location filename="../../frontdesk/gui/hall_view.py" line="203" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="178" />
            <source>当前票号</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="179" />
            <source>已用时</source>
            <translation>Elapsed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="180" />
            <source>今日已办</source>
            <translation>Served today</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="184" />
            <source>票号</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="184" />
            <source>级别</source>
            <translation>Tier</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="184" />
            <source>已等候</source>
            <translation>Waited</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="184" />
            <location filename="../../frontdesk/gui/hall_view.py" line="204" />
            <source>时限</source>
            <translation>Limit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="188" />
            <source>各类等候</source>
            <translation>Waiting by line</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="189" />
            <source>窗口状态</source>
            <translation>Counters</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="190" />
            <source>叫号顺序</source>
            <translation>Calling order</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="200" />
            <source>投诉单号</source>
            <translation>Complaint no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="201" />
            <source>类别</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="202" />
            <source>首问负责人</source>
            <translation>First responsible</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="205" />
            <source>剩余</source>
            <translation>Left</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="208" />
            <source>超时及临近时限的投诉</source>
            <translation>Complaints overdue or near their deadline</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="247" />
            <source>{time}　等候 {waiting} 人　最久 {oldest}　窗口 忙 {busy} / 闲 {idle}　今日取号 {issued}，已办 {done}，过号 {no_show}</source>
            <translation>{time}  waiting {waiting}  longest {oldest}  counters busy {busy} / idle {idle}  tickets today {issued}, served {done}, no-shows {no_show}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="265" />
            <source>办理中</source>
            <translation>Serving</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="265" />
            <source>已叫号</source>
            <translation>Called</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="267" />
            <source>空闲</source>
            <translation>Idle</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/hall_view.py" line="309" />
            <source>超时及临近时限的投诉（超时 {overdue}，{hours} 小时内到期 {near}）</source>
            <translation>Complaints overdue or near their deadline (overdue {overdue}, due within {hours} h {near})</translation>
        </message>
    </context>
    <context>
        <name>LockDialog</name>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="81" />
            <source>已锁屏</source>
            <translation>Locked</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="85" />
            <source>屏幕已锁定（{name}）。当前接待已保留，输入密码即可继续。</source>
            <translation>Screen locked ({name}). The visit in progress is kept; enter your password to continue.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="94" />
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="99" />
            <source>解锁 (Enter)</source>
            <translation>Unlock (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="101" />
            <source>签退</source>
            <translation>Sign out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/lock.py" line="135" />
            <source>密码不正确，请重新输入。连续输错将锁定账号；如非本人，请点击“签退”。</source>
            <translation>Wrong password, please try again. Repeated mistakes lock the account; if this is not you, press “Sign out”.</translation>
        </message>
    </context>
    <context>
        <name>ManagerAuthDialog</name>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="57" />
            <source>经理授权</source>
            <translation>Manager authorisation</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="74" />
            <source>例如：读卡器故障</source>
            <translation>e.g. the card reader is broken</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="75" />
            <source>经理工号</source>
            <translation>Manager username</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="76" />
            <source>经理密码</source>
            <translation>Manager password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="77" />
            <source>授权原因</source>
            <translation>Reason</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="84" />
            <source>授权 (Enter)</source>
            <translation>Authorise (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="85" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/authorise.py" line="107" />
            <source>请值班经理输入工号和密码。</source>
            <translation>The duty manager, please enter your username and password.</translation>
        </message>
    </context>
    <context>
        <name>ManualEntryDialog</name>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="51" />
            <source>手工录入证件</source>
            <translation>Type in a document</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="55" />
            <source>手工录入是例外操作（读卡器故障或证件无法读取），提交后需值班经理授权并填写原因。请严格按证件原件录入：{party}</source>
            <translation>Typing a document in is an exception (reader broken or document unreadable); the duty manager authorises it with a reason. Please copy the original exactly: {party}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="72" />
            <source>男</source>
            <translation>Male</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="73" />
            <source>女</source>
            <translation>Female</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="80" />
            <source>长期有效</source>
            <translation>No expiry</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="85" />
            <source>年-月-日，如 1990-05-01</source>
            <translation>year-month-day, e.g. 1990-05-01</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="86" />
            <source>证件类型</source>
            <translation>Document type</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="87" />
            <source>证件号码</source>
            <translation>Document number</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="88" />
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="89" />
            <source>性别</source>
            <translation>Sex</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="90" />
            <location filename="../../frontdesk/gui/manual_entry.py" line="129" />
            <source>出生日期</source>
            <translation>Date of birth</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="91" />
            <location filename="../../frontdesk/gui/manual_entry.py" line="130" />
            <source>有效期起</source>
            <translation>Valid from</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="92" />
            <location filename="../../frontdesk/gui/manual_entry.py" line="131" />
            <source>有效期止</source>
            <translation>Valid to</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="94" />
            <source>住址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="102" />
            <source>提交经理授权 (Ctrl+Enter)</source>
            <translation>Ask the manager (Ctrl+Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="104" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="139" />
            <source>{label}“{value}”不是有效日期，请按“年-月-日”输入，例如 2024-05-01。</source>
            <translation>{label} “{value}” is not a valid date; please enter year-month-day, e.g. 2024-05-01.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/manual_entry.py" line="164" />
            <source>请填写证件号码和姓名。</source>
            <translation>Please enter the document number and name.</translation>
        </message>
        <message>
            <source>请先更正：</source>
            <translation>Please correct first: </translation>
        </message>
        <message>
            <source>（尚未请经理授权）</source>
            <translation> (the manager has not been asked yet)</translation>
        </message>
    </context>
    <context>
        <name>QueueCallPanel</name>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="104" />
            <source>叫号</source>
            <translation>Call</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="106" />
            <source>重呼</source>
            <translation>Recall</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="108" />
            <source>过号</source>
            <translation>No-show</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="112" />
            <source>转至窗口 如W02</source>
            <translation>To counter, e.g. W02</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="114" />
            <source>转移</source>
            <translation>Transfer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="116" />
            <source>开始办理 (Enter)</source>
            <translation>Start serving (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="118" />
            <source>散客接待</source>
            <translation>Walk-in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="189" />
            <source>窗口空闲：按 F1 叫下一位，或 Ctrl+N 接待散客</source>
            <translation>Counter free: F1 calls the next customer, Ctrl+N serves a walk-in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="194" />
            <source>普通客户</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="196" />
            <source>办理中</source>
            <translation>Serving</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="196" />
            <source>已叫号，请客户到本窗口</source>
            <translation>Called, please come to this counter</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="198" />
            <source>（已重呼 {n} 次）</source>
            <translation>(recalled {n} times)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="202" />
            <source>取号</source>
            <translation>Issued</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="231" />
            <source>等候</source>
            <translation>Waiting</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="232" />
            <source>办理</source>
            <translation>Handling</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="248" />
            <source>目前没有客户等候。</source>
            <translation>Nobody is waiting.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="260" />
            <source>已重呼 {n} 次。客户仍未到窗口时，可按 F4 过号。</source>
            <translation>Recalled {n} times. If the customer still does not come, press F4 for a no-show.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_call.py" line="277" />
            <source>{ticket} 已{what}。</source>
            <translation>{ticket} {what}.</translation>
        </message>
    </context>
    <context>
        <name>QueueStrip</name>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="92" />
            <source>叫号</source>
            <translation>Call</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="95" />
            <source>票号</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="98" />
            <source>如 A023</source>
            <translation>e.g. A023</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="106" />
            <source>取号时间</source>
            <translation>Issued at</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="112" />
            <source>接待 (Enter)</source>
            <translation>Serve (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="115" />
            <source>散客接待</source>
            <translation>Walk-in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="208" />
            <source>等候</source>
            <translation>Waiting</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/queue_strip.py" line="209" />
            <source>办理</source>
            <translation>Handling</translation>
        </message>
        <message>
            <source>正在接待 {ticket}</source>
            <translation>Serving {ticket}</translation>
        </message>
    </context>
    <context>
        <name>ReceptionScreen</name>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="61" />
            <source>导办台取号</source>
            <translation>Reception: issue a ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="73" />
            <source>客户级别（查看VIP卡）</source>
            <translation>Customer tier (check the VIP card)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="81" />
            <source>选择业务类别取号（数字键 1-9）</source>
            <translation>Choose the service line (keys 1-9)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="99" />
            <source>过号重排 (F8)：客户号票</source>
            <translation>Missed ticket back in line (F8): ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="102" />
            <source>如 A023，回车重新排队</source>
            <translation>e.g. A023, Enter to requeue</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="106" />
            <source>重新排队</source>
            <translation>Back in line</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="114" />
            <source>业务类别</source>
            <translation>Service line</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="115" />
            <source>等候人数</source>
            <translation>Waiting</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="116" />
            <source>最久等候</source>
            <translation>Longest wait</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="117" />
            <source>临近</source>
            <translation>Near limit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="118" />
            <source>超时</source>
            <translation>Over limit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="121" />
            <source>大厅等候</source>
            <translation>Hall waiting</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="148" />
            <source>（VIP）</source>
            <translation>(VIP)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="174" />
            <source>{time} 取号　{tier}等候时限 {limit} 分钟　请留意叫号</source>
            <translation>Issued {time}  {tier}waiting limit {limit} min  please watch for your number</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="203" />
            <source>过号重新排队　请留意叫号</source>
            <translation>Back in line after a missed call　please listen for the call</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/reception.py" line="217" />
            <source>　前面还有 {n} 位</source>
            <translation>  {n} ahead of you</translation>
        </message>
        <message>
            <source>特殊群体绿色通道 (F2)</source>
            <translation>Green channel (F2)</translation>
        </message>
        <message>
            <source>否</source>
            <translation>No</translation>
        </message>
        <message>
            <source>　绿色通道（{group}）优先叫号</source>
            <translation>  green channel ({group}): called first</translation>
        </message>
        <message>
            <source>{tier}（{m} 分钟内）</source>
            <translation>{tier} (within {m} min)</translation>
        </message>
    </context>
    <context>
        <name>ResumeDialog</name>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="45" />
            <source>恢复挂起的接待</source>
            <translation>Resume a suspended visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="60" />
            <source>恢复 (Enter)</source>
            <translation>Resume (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/visit_dialogs.py" line="61" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <source>（未识别客户）</source>
            <translation>(customer not identified)</translation>
        </message>
        <message>
            <source>（尚无业务）</source>
            <translation>(no business yet)</translation>
        </message>
        <message>
            <source>应收 {total}，已收 {paid}</source>
            <translation>due {total}, taken {paid}</translation>
        </message>
        <message>
            <source>本人</source>
            <translation>mine</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>{when}{ticket}  {who} — {what}；{money}（{owner}）</source>
            <translation>{when}{ticket}  {who} — {what}; {money} ({owner})</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="138" />
            <source>设置</source>
            <translation>Settings</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="148" />
            <source>保存 (Ctrl+S)</source>
            <translation>Save (Ctrl+S)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="150" />
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="160" />
            <source>设置未保存：{detail}。请更正后再保存。</source>
            <translation>Settings not saved: {detail}. Please correct and save again.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="171" />
            <source>设置已保存，但读卡器暂不可用：{detail}。请检查后再保存，或选择模拟读卡器。</source>
            <translation>Settings saved, but the card reader is not usable: {detail}. Please check and save again, or choose the simulated reader.</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="46" />
            <source>营业厅 / 工作站</source>
            <translation>Branch / workstation</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="49" />
            <source>模拟读卡器（演示、培训）</source>
            <translation>Simulated reader (demo, training)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="50" />
            <source>二代证读卡器（termb 接口）</source>
            <translation>ID card reader (termb interface)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="51" />
            <source>身份证读卡器</source>
            <translation>ID card reader</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="54" />
            <source>厂商库文件路径，如 C:\termb\termb.dll</source>
            <translation>Vendor library path, e.g. C:\termb\termb.dll</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="55" />
            <source>读卡器库文件</source>
            <translation>Reader library</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="59" />
            <source>读卡器端口（1-16 串口，1001-1016 USB）</source>
            <translation>Reader port (1-16 serial, 1001-1016 USB)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="62" />
            <source>打印机</source>
            <translation>Printer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="65" />
            <source>扫描仪文件夹</source>
            <translation>Scanner folder</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="70" />
            <source>界面语言（重新登录后生效）</source>
            <translation>Language (applies at next sign-in)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="74" />
            <source> 分钟</source>
            <translation> min</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="75" />
            <source>无操作自动锁屏</source>
            <translation>Lock when idle for</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="91" />
            <source>系统默认打印机</source>
            <translation>System default printer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settings_page.py" line="96" />
            <source>（未连接）</source>
            <translation> (not connected)</translation>
        </message>
        <message>
            <source>标准</source>
            <translation>Standard</translation>
        </message>
        <message>
            <source>较大（125%）</source>
            <translation>Larger (125%)</translation>
        </message>
        <message>
            <source>特大（150%）</source>
            <translation>Largest (150%)</translation>
        </message>
        <message>
            <source>文字大小（重新登录后生效）</source>
            <translation>Text size (from the next sign-in)</translation>
        </message>
    </context>
    <context>
        <name>SettledDialog</name>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="59" />
            <source>已打印：{docs}。</source>
            <translation>Printed: {docs}.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="60" />
            <source>未打印：{docs}。单据已存档，可在接待记录中重新打印。</source>
            <translation>Not printed: {docs}. The documents are archived; print them again from the visit history.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="81" />
            <source>结算完成</source>
            <translation>Settled</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="83" />
            <source>&lt;b&gt;结算完成，请客户在受理单上签字确认。&lt;/b&gt;</source>
            <translation>&lt;b&gt;Settled. Please ask the customer to sign the slip.&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="85" />
            <source>受理单号</source>
            <translation>Slip no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="86" />
            <source>收据号</source>
            <translation>Receipt no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="88" />
            <source>合计</source>
            <translation>Total</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="91" />
            <source>实收</source>
            <translation>Tendered</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="96" />
            <source>找零</source>
            <translation>Change</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="99" />
            <source>注意：部分办理条件依据本地记录判断，本单将在联网后由总部复核。</source>
            <translation>Note: some conditions were judged on local records; head office will re-check this slip once online.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="108" />
            <source>打印受理单和收据 (P)</source>
            <translation>Print slip and receipt (P)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/settled_dialog.py" line="111" />
            <source>完成 (Enter)</source>
            <translation>Done (Enter)</translation>
        </message>
        <message>
            <source>已补打（副本注明“补打”）：{docs}。</source>
            <translation>Reprinted (the copies say 补打 / reprint): {docs}.</translation>
        </message>
        <message>
            <source>未打印：{docs}。单据已存档，可在接待记录（F9）中重新打印。</source>
            <translation>Not printed: {docs}. The documents are archived; print them from the visit history (F9).</translation>
        </message>
        <message>
            <source>全部打印 (P)</source>
            <translation>Print all (P)</translation>
        </message>
        <message>
            <source>预览后打印 (V)</source>
            <translation>Preview, then print (V)</translation>
        </message>
        <message>
            <source>未打印</source>
            <translation>not printed</translation>
        </message>
        <message>
            <source>已打印 {n} 次</source>
            <translation>printed {n} time(s)</translation>
        </message>
        <message>
            <source>已存档：</source>
            <translation>Archived: </translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>{kind} {number}：{state}</source>
            <translation>{kind} {number}: {state}</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="53" />
            <source>话费充值（本人号码已填）</source>
            <translation>Top-up (own number filled in)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="22" />
            <source>叫号 / 输入票号</source>
            <translation>Call / enter ticket no.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="23" />
            <source>散客接待</source>
            <translation>Walk-in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="24" />
            <source>读取证件</source>
            <translation>Read ID</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="25" />
            <source>手工录入证件（经理授权）</source>
            <translation>Type in a document (manager)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="26" />
            <source>人像比对</source>
            <translation>Face comparison</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="27" />
            <source>确认人证一致</source>
            <translation>Confirm photo matches</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="28" />
            <source>留存扫描件（扫描文件夹）</source>
            <translation>Keep scan (scanner folder)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="29" />
            <source>留存扫描件（选择文件）</source>
            <translation>Keep scan (pick a file)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="30" />
            <source>单位客户</source>
            <translation>Unit customer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="31" />
            <source>办理业务（搜索）</source>
            <translation>Businesses (search)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="32" />
            <source>收款</source>
            <translation>Payments</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="33" />
            <source>结算</source>
            <translation>Settle</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="34" />
            <source>减免费用（经理授权）</source>
            <translation>Waive fee (manager)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="36" />
            <source>越过办理条件（经理授权）</source>
            <translation>Override conditions (manager)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="38" />
            <source>挂起接待</source>
            <translation>Suspend visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="39" />
            <source>恢复挂起的接待</source>
            <translation>Resume a suspended visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="40" />
            <source>取消接待</source>
            <translation>Cancel visit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="41" />
            <source>锁屏</source>
            <translation>Lock</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="42" />
            <source>签退</source>
            <translation>Sign out</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="43" />
            <source>设置</source>
            <translation>Settings</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="44" />
            <source>售后三包查询</source>
            <translation>After-sales / warranty look-up</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="45" />
            <source>投诉登记（每诉必录）</source>
            <translation>Record a complaint</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="46" />
            <source>大厅监控</source>
            <translation>Hall view</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="47" />
            <source>导办台取号</source>
            <translation>Reception: issue a ticket</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/shortcuts.py" line="48" />
            <source>营业报表与日结</source>
            <translation>Reports and day close</translation>
        </message>
        <message>
            <source>接待记录（预览 / 打印 / 补打）</source>
            <translation>Visit history (preview / print / reprint)</translation>
        </message>
    </context>
    <context>
        <name>SignInWindow</name>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="43" />
            <source>营业厅前台 · 登录</source>
            <translation>Front desk · Sign in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="49" />
            <source>营业厅前台</source>
            <translation>Front desk</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="59" />
            <location filename="../../frontdesk/gui/signin.py" line="68" />
            <source>工号</source>
            <translation>Username</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="69" />
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="70" />
            <source>界面语言</source>
            <translation>Language</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="76" />
            <source>正在准备数据…</source>
            <translation>Preparing data…</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="80" />
            <source>登录 (Enter)</source>
            <translation>Sign in (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="100" />
            <source>就绪</source>
            <translation>Ready</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="107" />
            <source>无法启动</source>
            <translation>Cannot start</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="132" />
            <source>请输入工号。</source>
            <translation>Please enter your username.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="136" />
            <source>请输入密码。</source>
            <translation>Please enter your password.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/signin.py" line="141" />
            <source>正在准备数据，准备好后自动登录…</source>
            <translation>Preparing data; you will be signed in as soon as it is ready…</translation>
        </message>
    </context>
    <context>
        <name>SlipModel</name>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="27" />
            <source>业务</source>
            <translation>Business</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="28" />
            <source>号码</source>
            <translation>Number</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="29" />
            <location filename="../../frontdesk/gui/slip_model.py" line="55" />
            <source>金额</source>
            <translation>Amount</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="30" />
            <source>备注</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="41" />
            <source>原价 {fee}，已减免</source>
            <translation>list price {fee}, waived</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="54" />
            <source>支付方式</source>
            <translation>Method</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="56" />
            <source>实收</source>
            <translation>Tendered</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="57" />
            <source>找零</source>
            <translation>Change</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_model.py" line="58" />
            <source>参考号</source>
            <translation>Reference</translation>
        </message>
    </context>
    <context>
        <name>SlipPanel</name>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="1" />
            <source>Enter 收款；P 收足待收金额并结算、打印全部单据</source>
            <translation>Enter takes the payment; P takes the full amount due, settles and prints every document</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="1" />
            <source>收款金额 {amount} 少于待收 {due}，未收款：P 收款并结算须收足待收金额；分笔收款请按 Enter。</source>
            <translation>Payment amount {amount} is less than the {due} due; nothing taken: P pays and settles only when the whole amount due is paid. For a part payment press Enter.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="1" />
            <source>交易参考号未填，未收款：{method}须先扫描交易参考号。</source>
            <translation>Transaction reference missing; nothing taken: {method} needs its transaction reference scanned first.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="126" />
            <source>Enter 结算；P 结算并打印全部单据</source>
            <translation>Enter settles; P settles and prints every document</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="66" />
            <source>&lt;b&gt;受理单&lt;/b&gt;</source>
            <translation>&lt;b&gt;Slip&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="74" />
            <source>收款</source>
            <translation>Payments</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="89" />
            <source>金额（元）</source>
            <translation>Amount (yuan)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="92" />
            <source>交易参考号（扫码）</source>
            <translation>Transaction reference (scan)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="95" />
            <source>收款 (Enter)</source>
            <translation>Take (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="107" />
            <source>减免费用</source>
            <translation>Waive fee</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="109" />
            <source>删除所选</source>
            <translation>Remove selected</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="111" />
            <source>结算</source>
            <translation>Settle</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="136" />
            <source>尚未开始接待</source>
            <translation>No visit in progress</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="139" />
            <source>合计 {total}　已收 {paid}　待收 {due}</source>
            <translation>Total {total}   paid {paid}   due {due}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="145" />
            <source>　找零 {change}</source>
            <translation>   change {change}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="215" />
            <source>请先在受理单或收款列表中选中要删除的一行（方向键选择）。</source>
            <translation>Please select the row to remove on the slip or in the payments (arrow keys).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/slip_panel.py" line="223" />
            <source>请先在受理单中选中要减免费用的业务。</source>
            <translation>Please select the business on the slip whose fee is waived.</translation>
        </message>
        <message>
            <source>选择收款方式</source>
            <translation>Choose the payment method</translation>
        </message>
        <message>
            <source>请选择收款方式：{keys}（数字键或 ↑/↓ 后 Enter）。</source>
            <translation>Choose the payment method: {keys} (its number, or ↑/↓ then Enter).</translation>
        </message>
        <message>
            <source>尚未选择收款方式，未收款。</source>
            <translation>No payment method chosen; nothing was taken. </translation>
        </message>
    </context>
    <context>
        <name>VerificationPanel</name>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="79" />
            <source>&lt;b&gt;身份核验&lt;/b&gt;</source>
            <translation>&lt;b&gt;ID verification&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="82" />
            <source>读取对象</source>
            <translation>Reading for</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="85" />
            <source>客户本人</source>
            <translation>Customer in person</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="86" />
            <source>代办人/单位经办人</source>
            <translation>Agent / unit agent</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="90" />
            <location filename="../../frontdesk/gui/verification_panel.py" line="223" />
            <source>读取证件</source>
            <translation>Read ID</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="92" />
            <location filename="../../frontdesk/gui/verification_panel.py" line="232" />
            <source>手工录入</source>
            <translation>Type in</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="94" />
            <source>人像比对</source>
            <translation>Face comparison</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="96" />
            <source>人证一致</source>
            <translation>Photo matches</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="98" />
            <source>留存扫描件</source>
            <translation>Keep scan</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="100" />
            <source>选择文件</source>
            <translation>Pick file</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="102" />
            <source>一证五号核查</source>
            <translation>Check numbers per ID</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="144" />
            <source>单位客户 (F6)</source>
            <translation>Unit customer (F6)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="148" />
            <source>单位名称（与营业执照一致）</source>
            <translation>Unit name (as on the business licence)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="151" />
            <source>统一社会信用代码（18 位）</source>
            <translation>Unified social credit code (18 chars)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="152" />
            <source>登记单位</source>
            <translation>Register unit</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="154" />
            <source>留存委托书</source>
            <translation>Keep authorisation letter</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="168" />
            <source>模拟设备（演示）</source>
            <translation>Simulated devices (demo)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="174" />
            <source>放卡</source>
            <translation>Place card</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="191" />
            <source>已在模拟读卡器上放置证件。</source>
            <translation>A card was placed on the simulated reader.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="217" />
            <source>客户</source>
            <translation>Customer</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="218" />
            <source>经办人</source>
            <translation>Agent</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="219" />
            <source>监护人</source>
            <translation>Guardian</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="220" />
            <source>新机主</source>
            <translation>New owner</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="224" />
            <source>证件校验</source>
            <translation>Document checks</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="225" />
            <source>人证比对</source>
            <translation>Person vs photo</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="226" />
            <source>证件留存</source>
            <translation>Scan kept</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="227" />
            <source>一证五号</source>
            <translation>Five numbers per ID</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="230" />
            <source>单位：{name}</source>
            <translation>Unit: {name}</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="232" />
            <source>读卡器</source>
            <translation>reader</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="239" />
            <source>待完成</source>
            <translation>to do</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="243" />
            <source>人像比对通过</source>
            <translation>Face comparison passed</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="247" />
            <source>总部</source>
            <translation>head office</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="249" />
            <source>本地记录，待总部复核</source>
            <translation>local records, head office to re-check</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="251" />
            <source>已有 {count} 个号码（{where}）</source>
            <translation>{count} numbers held ({where})</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="266" />
            <source>请先开始接待：Ctrl+N 散客接待，或 F1 叫号。</source>
            <translation>Please start a visit first: Ctrl+N walk-in, or F1 call.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="280" />
            <source>读卡器不可用：{detail}。请检查读卡器，或按 Ctrl+M 经经理授权后手工录入。</source>
            <translation>The card reader is unavailable: {detail}. Please check it, or press Ctrl+M to type the document in with a manager's approval.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="299" />
            <source>正在读卡，请稍候…</source>
            <translation>Reading the card, one moment…</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="311" />
            <source>已读取 {name} 的证件，校验通过。请核对本人与证件照片（F4）；入网、过户请做人像比对（F3）。</source>
            <translation>{name}'s ID was read and passed the checks. Compare the person with the photo (F4); new lines and transfers need a face comparison (F3).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="318" />
            <source>证件校验未通过：</source>
            <translation>The document failed the checks: </translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="354" />
            <source>手工录入证件信息</source>
            <translation>Type in a document by hand</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="355" />
            <source>读卡器无法读取时手工录入证件，须值班经理核对原件后授权。</source>
            <translation>When the reader can't read a document, the duty manager checks the original and authorises typing it in.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="365" />
            <source>正在人像比对，请客户正对摄像头…</source>
            <translation>Comparing faces; please ask the customer to face the camera…</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="378" />
            <source>人像比对通过。</source>
            <translation>Face comparison passed.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="397" />
            <source>已确认本人与证件照片一致。请留存证件扫描件（F5）。</source>
            <translation>Photo confirmed. Please keep the document scan (F5).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="437" />
            <source>选择证件扫描件</source>
            <translation>Choose the document scan</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="439" />
            <source>扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff)</source>
            <translation>Scans (*.jpg *.jpeg *.png *.pdf *.tif *.tiff)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="447" />
            <source>扫描件格式不受支持，请使用 JPG、PNG、TIFF 或 PDF 文件。</source>
            <translation>This scan format is not supported; please use JPG, PNG, TIFF or PDF.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="465" />
            <source>单位委托书已留存（加密保存）。</source>
            <translation>The authorisation letter is kept (encrypted).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="468" />
            <source>证件扫描件已留存（加密保存）。请选择要办理的业务（F7）。</source>
            <translation>The document scan is kept (encrypted). Please choose the business (F7).</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" line="485" />
            <source>单位已登记。请读取经办人本人证件（F2），并留存单位委托书。</source>
            <translation>Unit registered. Please read the agent's own ID (F2) and keep the authorisation letter.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>新机主（过户）</source>
            <translation>New owner (transfer)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>未成年人监护人</source>
            <translation>Guardian of a minor</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>父母</source>
            <translation>Parent</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>其他法定监护人</source>
            <translation>Other legal guardian</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>登记监护人</source>
            <translation>Record guardian</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>已登记监护人及其与客户的关系（{rel}），将打印在受理单上。</source>
            <translation>Guardian and relationship recorded ({rel}); they are printed on the slip.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/verification_panel.py" />
            <source>{name} 未满 16 周岁：入网须由监护人作为经办人办理——请选择“代办人”读取监护人证件、人像比对并留存，再登记监护人关系；过户不能转给未成年人。</source>
            <translation>{name} is under 16: a new line needs their guardian acting as agent — choose “agent”, read the guardian's ID, compare the face and keep the copy, then record the relationship; a number can't be transferred to a minor.</translation>
        </message>
        <message>
            <source>已更换客户，上一位客户的业务已从受理单移除；已收款仍在单上，请核对。</source>
            <translation>Customer changed; the previous customer's businesses were removed from the slip. Money taken is still on it: please check.</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <location filename="../../frontdesk/gui/errors.py" line="44" />
            <source>要处理的记录已不存在（可能已被结算、取消或在其他窗口中处理）。请刷新后重试；如需继续，请重新开始接待。</source>
            <translation>The record is no longer there (settled, cancelled or handled elsewhere). Please refresh and try again, or start a new visit.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/errors.py" line="56" />
            <source>读写文件或设备时出错，您输入的内容已保留。请检查磁盘空间、文件或设备后重试；如仍不成功，请联系 IT。</source>
            <translation>A file or device could not be read or written; what you typed is kept. Please check disk space, the file or the device and try again; if it keeps failing, call IT.</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/errors.py" line="67" />
            <source>系统遇到意外问题，本次操作没有完成，您输入的内容已保留。请再试一次；如仍不成功，请联系 IT 并告知发生时间。</source>
            <translation>Something unexpected went wrong; the action was not completed and what you typed is kept. Please try again; if it keeps failing, call IT and tell them the time.</translation>
        </message>
    </context>
    <context>
        <name>self.window</name>
        <message>
            <location filename="../../frontdesk/gui/app.py" line="242" />
            <source>设置已保存。界面语言在重新登录后生效。</source>
            <translation>Settings saved. The language applies at the next sign-in.</translation>
        </message>
    </context>
    <context>
        <name>window</name>
        <message>
            <location filename="../../frontdesk/gui/app.py" line="232" />
            <location filename="../../frontdesk/gui/app.py" line="234" />
            <source>修改工作站设置</source>
            <translation>Change workstation settings</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/app.py" line="233" />
            <source>设置仅限经理或 IT 管理员修改，请值班经理授权。</source>
            <translation>Only a manager or IT may change settings; please ask the duty manager to authorise.</translation>
        </message>
    </context>
    <context>
        <name>FraudNoticeDialog</name>
        <message>
            <location filename="../../frontdesk/gui/fraud_notice.py" />
            <source>涉诈风险告知书</source>
            <translation>Anti-fraud risk notice</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/fraud_notice.py" />
            <source>&lt;b&gt;入网、过户须由客户签署《涉诈风险告知书》&lt;/b&gt;</source>
            <translation>&lt;b&gt;A new line or transfer needs the customer's signed anti-fraud risk notice&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/fraud_notice.py" />
            <source>客户已在纸质告知书上签字 (Enter)</source>
            <translation>Customer signed the paper notice (Enter)</translation>
        </message>
        <message>
            <location filename="../../frontdesk/gui/fraud_notice.py" />
            <source>客户已在签字板上电子签名</source>
            <translation>Customer signed on the signature pad</translation>
        </message>
    </context>
    <context>
        <name>VisitHistoryDialog</name>
        <message>
            <source>接待记录</source>
            <translation>Visit history</translation>
        </message>
        <message>
            <source>查找（受理单号 / 手机号 / 日期）</source>
            <translation>Find (slip no. / phone / date)</translation>
        </message>
        <message>
            <source>留空 = 今天；如 0007、13800138000、2026-11-21</source>
            <translation>Empty = today; e.g. 0007, 13800138000, 2026-11-21</translation>
        </message>
        <message>
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>受理单号</source>
            <translation>Slip no.</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>客户</source>
            <translation>Customer</translation>
        </message>
        <message>
            <source>号码</source>
            <translation>Number</translation>
        </message>
        <message>
            <source>业务</source>
            <translation>Businesses</translation>
        </message>
        <message>
            <source>金额</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>单据</source>
            <translation>Documents</translation>
        </message>
        <message>
            <source>本单单据（已全部存档）</source>
            <translation>Documents of this slip (all archived)</translation>
        </message>
        <message>
            <source>预览 (Ctrl+E)</source>
            <translation>Preview (Ctrl+E)</translation>
        </message>
        <message>
            <source>打印 / 补打 (Ctrl+P)</source>
            <translation>Print / reprint (Ctrl+P)</translation>
        </message>
        <message>
            <source>本单全部打印 (Ctrl+Shift+P)</source>
            <translation>Print all of this slip (Ctrl+Shift+P)</translation>
        </message>
        <message>
            <source>关闭 (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
        <message>
            <source>受理</source>
            <translation>Sale</translation>
        </message>
        <message>
            <source>作废</source>
            <translation>Void</translation>
        </message>
        <message>
            <source>退款</source>
            <translation>Refund</translation>
        </message>
        <message>
            <source>（未识别）</source>
            <translation>(not identified)</translation>
        </message>
        <message>
            <source>{n} 份，未打印 {u}</source>
            <translation>{n}, {u} not printed</translation>
        </message>
        <message>
            <source>找到 {n} 张受理单。↑/↓ 选择，Enter 查看单据。</source>
            <translation>{n} slip(s) found. ↑/↓ to choose, Enter for the documents.</translation>
        </message>
        <message>
            <source>没有找到受理单。</source>
            <translation>No slip found.</translation>
        </message>
        <message>
            <source>打印失败，待重新打印</source>
            <translation>print failed, to be printed again</translation>
        </message>
        <message>
            <source>未打印</source>
            <translation>not printed</translation>
        </message>
        <message>
            <source>已打印 {n} 次</source>
            <translation>printed {n} time(s)</translation>
        </message>
        <message>
            <source>，补打 {n} 次</source>
            <translation>, reprinted {n} time(s)</translation>
        </message>
        <message>
            <source>请先选择一份单据。</source>
            <translation>Please choose a document first.</translation>
        </message>
        <message>
            <source>已补打 {doc}（副本注明“补打”）。</source>
            <translation>Reprinted {doc} (the copy says 补打 / reprint).</translation>
        </message>
        <message>
            <source>已打印 {doc}。</source>
            <translation>Printed {doc}.</translation>
        </message>
        <message>
            <source>请先选择一张受理单。</source>
            <translation>Please choose a slip first.</translation>
        </message>
    </context>
    <context>
        <name>ReplaceCustomerDialog</name>
        <message>
            <source>更换客户？</source>
            <translation>Change the customer?</translation>
        </message>
        <message>
            <source>更换客户并移除其业务 (&amp;Y)</source>
            <translation>Change customer and remove their businesses (&amp;Y)</translation>
        </message>
        <message>
            <source>保留原客户 (Esc)</source>
            <translation>Keep the customer (Esc)</translation>
        </message>
    </context>
    <context>
        <name>ManagerScreen</name>
        <message>
            <source>营业报表与日结</source>
            <translation>Reports and day close</translation>
        </message>
        <message>
            <source>本柜台</source>
            <translation>This counter</translation>
        </message>
        <message>
            <source>全营业厅</source>
            <translation>Whole branch</translation>
        </message>
        <message>
            <source>全营业厅汇总仅限经理查看</source>
            <translation>Only managers may see the whole branch</translation>
        </message>
        <message>
            <source>经理密码（总部核验全厅数据）</source>
            <translation>Manager's password (head office checks it for the branch)</translation>
        </message>
        <message>
            <source>查询 (Enter)</source>
            <translation>Query (Enter)</translation>
        </message>
        <message>
            <source>日期</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>至</source>
            <translation>to</translation>
        </message>
        <message>
            <source>范围</source>
            <translation>Scope</translation>
        </message>
        <message>
            <source>导出 {fmt} ({keys})</source>
            <translation>Export {fmt} ({keys})</translation>
        </message>
        <message>
            <source>日结… (Ctrl+D)</source>
            <translation>Day close… (Ctrl+D)</translation>
        </message>
        <message>
            <source>接待量</source>
            <translation>Visits</translation>
        </message>
        <message>
            <source>实收（不含余额）</source>
            <translation>Takings (excl. balance)</translation>
        </message>
        <message>
            <source>营业额（净）</source>
            <translation>Business amount (net)</translation>
        </message>
        <message>
            <source>等候达标率</source>
            <translation>Waiting within SLA</translation>
        </message>
        <message>
            <source>办理达标率</source>
            <translation>Handling within SLA</translation>
        </message>
        <message>
            <source>VIP 接待</source>
            <translation>VIP visits</translation>
        </message>
        <message>
            <source>绿色通道</source>
            <translation>Green channel</translation>
        </message>
        <message>
            <source>投诉超时</source>
            <translation>Complaints overdue</translation>
        </message>
        <message>
            <source>未同步受理单</source>
            <translation>Slips not synced</translation>
        </message>
        <message>
            <source>已导出：{path}</source>
            <translation>Exported: {path}</translation>
        </message>
        <message>
            <source>导出营业日报</source>
            <translation>Export the daily report</translation>
        </message>
    </context>
    <context>
        <name>WaiveDialog</name>
        <message>
            <source>减免费用</source>
            <translation>Waive a fee</translation>
        </message>
        <message>
            <source>业务</source>
            <translation>Business</translation>
        </message>
        <message>
            <source>应收费用</source>
            <translation>Fee due</translation>
        </message>
        <message>
            <source>减免金额（元），可部分减免</source>
            <translation>Amount to waive (yuan); a part is allowed</translation>
        </message>
        <message>
            <source>减免金额</source>
            <translation>Amount waived</translation>
        </message>
        <message>
            <source>请经理授权 (Enter)</source>
            <translation>Ask the manager (Enter)</translation>
        </message>
        <message>
            <source>取消 (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <source>减免金额不能超过应收的 {fee}。</source>
            <translation>The amount waived can be at most the {fee} due.</translation>
        </message>
    </context>
    <context>
        <name>DocumentKind</name>
        <message>
            <source>业务受理单</source>
            <translation>Service slip</translation>
        </message>
        <message>
            <source>收据</source>
            <translation>Receipt</translation>
        </message>
        <message>
            <source>保修卡</source>
            <translation>Warranty card</translation>
        </message>
        <message>
            <source>日结单</source>
            <translation>Day-close slip</translation>
        </message>
    </context>
    <context>
        <name>CardPoller</name>
        <message>
            <location filename="../../frontdesk/gui/card_poll.py" line="1" />
            <source>读卡器不可用：{detail}。放卡自动读取已停止；请检查读卡器后按 F2 读卡，或按 Ctrl+M 经经理授权后手工录入。</source>
            <translation>ID-card reader unavailable: {detail}. Cards are no longer read when laid on the reader; check the reader, then press F2 to read, or press Ctrl+M to type the card in with a manager's approval.</translation>
        </message>
    </context>
    <context>
        <name>NumberPickerDialog</name>
        <message>
            <source>选号</source>
            <translation>Choose a number</translation>
        </message>
        <message>
            <source>输入尾号筛选（如 8888），↑↓ 选择，Enter 选定，Esc 返回</source>
            <translation>Type the last digits to filter (e.g. 8888), ↑↓ to move, Enter picks, Esc goes back</translation>
        </message>
        <message>
            <source>尾号</source>
            <translation>Last digits</translation>
        </message>
        <message>
            <source>{n} 个空闲号码</source>
            <translation>{n} free numbers</translation>
        </message>
        <message>
            <source>没有以 {tail} 结尾的空闲号码</source>
            <translation>No free number ends with {tail}</translation>
        </message>
        <message>
            <source>号码池中没有空闲号码</source>
            <translation>No free numbers in the pool</translation>
        </message>
    </context>
    <context>
        <name>NumberField</name>
        <message>
            <source>本工位尚未收到号码资源，请直接输入新号码。</source>
            <translation>This counter has no number resources yet; please type the new number.</translation>
        </message>
        <message>
            <source>本工位的号码资源已全部占用，请联系 IT 向总部申请新的号段。</source>
            <translation>Every number of this counter's resources is taken; please ask IT to request a new block from head office.</translation>
        </message>
        <message>
            <source>已选号码池中的第一个空闲号码；Enter 确认，↓ 选号（可输入尾号筛选）。</source>
            <translation>The pool's first free number is filled in; Enter accepts it, Down chooses another (filter by last digits).</translation>
        </message>
    </context>
</TS>

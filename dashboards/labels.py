"""Every text the dashboard shows, in one place, in English ("en") and Simplified Chinese ("zh").

Use :func:`t` to look a label up; ``t("key", n=3)`` fills ``{n}`` placeholders. A missing key in a
language falls back to English, and a missing English key raises ``KeyError`` (tests check that
every key used by the app exists, and that every English key has a Chinese one).

The current language comes from :func:`current_language`. By default it is the module-level
``LANGUAGE``; the Solara page installs a per-browser-tab source with :func:`set_language_source`
(a ``solara.reactive``), so two tabs can show two languages at once. This module imports no UI code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "China's national innovation system: live model",
        "app.subtitle": "Agent-based model (Mesa). One step is a quarter; values are national (scaled up from agents).",
        # controls
        "ctl.play": "Play",
        "ctl.pause": "Pause",
        "ctl.step": "Step",
        "ctl.reset": "Reset",
        "ctl.speed": "Quarters per update",
        "ctl.delay": "Pause between updates (ms)",
        "ctl.seed": "Random seed",
        "ctl.run_to": "Stop at year",
        "ctl.scenario": "Scenario",
        "ctl.upload": "…or drop a scenario file (.toml) here",
        "ctl.apply_now": "Apply now",
        "ctl.apply_reset": "Reset with changes",
        "ctl.discard": "Discard changes",
        "ctl.download_csv": "Indicators (CSV)",
        "ctl.png_hint": "Save any chart as PNG or SVG from its \u2026 menu (top right of the chart).",
        "ctl.levers": "Policy levers and parameters",
        "ctl.lever_badge": "lever",
        "ctl.only_reset": "takes effect on Reset only",
        "ctl.default": "default",
        "msg.pending": "{n} change(s) not applied yet: {names}. "
        "'Apply now' changes the running model from the next quarter ({when}); "
        "'Reset with changes' restarts from {start} with them.",
        "msg.pending_reset_only": "{names} can only change on Reset (they fix the model's size and calendar).",
        "msg.applied_now": "Applied from {when}: {names}.",
        "msg.reset_done": "Restarted '{scenario}' (seed {seed}) from {start}.",
        "msg.error_title": "That did not work",
        "msg.scenario_loaded": "Scenario '{name}' loaded: {question}",
        "msg.no_effect_mission": "mission_budget is above 0 but mission_field is 'none': the mission budget has no effect.",
        "msg.no_effect_cutoff": "cutoff_fields is 'none': the cut-off settings have no effect.",
        "msg.start_hint": "Press Play (or Step) to run the model: the charts fill in quarter by quarter.",
        "msg.stopped": "Reached {year}: paused. Raise 'Stop at year' to go on.",
        "status.time": "{year} Q{quarter} · step {step}",
        "status.scenario": "Scenario: {name} · seed {seed}",
        "status.agents": "{n} agents",
        # groups
        "group.funding": "Funding (government)",
        "group.firms": "Firms",
        "group.finance": "Finance (venture capital, guidance funds)",
        "group.talent": "Talent",
        "group.transfer": "Technology transfer",
        "group.shocks": "Shocks",
        "group.research": "Research (advanced)",
        "group.simulation": "Simulation (Reset only)",
        "group.assumptions": "Assumptions (behavioural constants)",
        # tabs
        "tab.overview": "R&D",
        "tab.system": "Money & capability",
        "tab.firms": "Firms & VC",
        "tab.talent": "Talent & network",
        "tab.compare": "Compare",
        "tab.inspector": "Inspector",
        # charts
        "chart.intensity": "R&D intensity (R&D spending / GDP)",
        "chart.intensity.help": "Model (line) against the observed NBS series (dots) and the national targets "
        "of 2.5% in 2020 and 2.8% in 2030 (diamonds). The current year is annualised.",
        "chart.performers": "Who performs R&D",
        "chart.performers.help": "Share of R&D spending by performer: enterprises (SOEs, private firms, SMEs), "
        "research institutes (labs), universities. Observed 2015: 77% / 15% / 7%.",
        "chart.types": "What kind of R&D",
        "chart.types.help": "Share of R&D spending on basic research, applied research and experimental "
        "development. Observed 2020: 6% / 11% / 83%.",
        "chart.money": "Money flows between actor groups",
        "chart.money.help": "The largest flows of the current year (yuan, annualised), from one group to another. "
        "Tick the box to add sales, suppliers, imports and R&D wages and materials.",
        "chart.money.markets": "Include markets and R&D spending (sales, suppliers, imports, wages)",
        "chart.capability": "Domestic capability vs world frontier",
        "chart.capability.help": "Capability per technology field relative to the world frontier (1 = at the "
        "frontier). Red: field 'controlled by others' (foreign dependence above the threshold).",
        "chart.sme": "SMEs, venture capital, births and deaths",
        "chart.sme.help": "Start-up births and deaths per year, the number of tech SMEs, and venture "
        "capital invested (private VC and state guidance funds).",
        "chart.size": "Firm-size distribution (log-log)",
        "chart.size.help": "Number of firms (weighted to national numbers) per revenue bin, both axes "
        "logarithmic. A straight falling line is a power law (Zipf).",
        "chart.talent": "Researchers by sector",
        "chart.talent.help": "Researchers (full-time equivalents) employed by each sector, year end.",
        "chart.talent_flows": "Flows of people this year",
        "chart.talent_flows.help": "The largest flows of people in the current year (annualised): "
        "graduates, hires, job changes, retirements, study abroad and returns.",
        "chart.network": "Technology-transfer and contract network",
        "chart.network.help": "Links of the last 8 quarters, aggregated by kind of actor and {by}. "
        "Circle size: actors' links; line width: number of links between two groups.",
        "chart.network.by": "Group actors by",
        "chart.compare": "Scenario A vs scenario B (same seed)",
        "chart.compare.help": "Both runs use the same seed; solid line = A, dashed = B. The right column "
        "shows B minus A.",
        "chart.agent": "History of the selected actor",
        # compare
        "cmp.a": "Scenario A",
        "cmp.b": "Scenario B",
        "cmp.years": "Years",
        "cmp.run": "Run both",
        "cmp.indicators": "Indicators",
        "cmp.running": "Running…",
        "cmp.empty": "Pick two scenarios and press 'Run both'.",
        "cmp.done": "Ran '{a}' and '{b}' for {years} years with seed {seed} in {secs:.1f} s.",
        # inspector
        "ins.kind": "Kind of actor",
        "ins.how": "Pick",
        "ins.largest": "largest",
        "ins.median": "median size",
        "ins.smallest": "smallest",
        "ins.random": "at random",
        "ins.pick": "Pick actor",
        "ins.none": "No actor picked yet: choose a kind and press 'Pick actor'.",
        "ins.gone": "This actor has left the model (closed, acquired or listed) at {when}.",
        "ins.since": "History recorded since you picked it ({when}); press Play or Step to extend it.",
        "ins.state": "Current state (per real actor; weight = real actors it stands for)",
        "ins.variable": "Variable to plot",
        # kinds and series
        "kind.soe": "State-owned enterprises",
        "kind.private": "Private firms",
        "kind.sme": "Tech SMEs & start-ups",
        "kind.university": "Universities",
        "kind.lab": "Research institutes (labs)",
        "kind.vc": "VC firms & guidance funds",
        "kind.gov": "Government bodies",
        "series.model": "model",
        "series.observed": "observed (NBS)",
        "series.target": "target",
        "series.enterprises": "enterprises",
        "series.institutes": "research institutes",
        "series.universities": "universities",
        "series.basic": "basic research",
        "series.applied": "applied research",
        "series.development": "development",
        "series.births": "start-up births",
        "series.deaths": "SME deaths",
        "series.n_sme": "tech SMEs (number)",
        "series.vc_invested": "VC invested (bn yuan)",
        "series.guidance_invested": "guidance funds invested (bn yuan)",
        "axis.year": "year",
        "axis.percent": "% of GDP",
        "axis.share": "share of R&D",
        "axis.bn_yuan": "bn yuan per year",
        "axis.people": "persons per year",
        "axis.capability": "capability (1 = world frontier)",
        "axis.revenue": "revenue per firm (yuan per year)",
        "axis.firms": "number of firms",
        "axis.researchers": "researchers (FTE)",
        "axis.flow": "flow",
        "node.gov_central": "Central government",
        "node.gov_local": "Local governments",
        "node.fiscal": "Treasury",
        "node.soe": "SOEs",
        "node.private": "Private firms",
        "node.sme": "SMEs",
        "node.university": "Universities",
        "node.lab": "Research institutes",
        "node.private_vc": "Private VC",
        "node.guidance_fund": "Guidance funds",
        "node.market": "Customers",
        "node.suppliers": "Suppliers",
        "node.households": "Researchers' pay",
        "node.foreign": "Abroad",
        "node.investors": "Investors (LPs)",
        "node.capital_market": "Capital market",
        "node.founders": "Founders",
        "node.students": "Students",
        "node.pool": "Job seekers",
        "node.enrolment": "New students",
        "node.other_jobs": "Other jobs",
        "node.retirement": "Retirement",
        "node.abroad": "Abroad",
        # additions for lessons, language and projector mode
        "status.start": "{year} start",
        "ctl.language": "Language",
        "ctl.projector": "Projector mode",
        "ctl.projector_hint": "Large text and only the lesson's charts, for a classroom screen.",
        "ctl.lesson": "Classroom lesson",
        "ctl.lesson_none": "(none: free exploration)",
        "lesson.what_is_it": "WHAT IS IT?",
        "lesson.how_it_works": "HOW IT WORKS",
        "lesson.how_to_use_it": "HOW TO USE IT",
        "lesson.things_to_notice": "THINGS TO NOTICE",
        "lesson.things_to_try": "THINGS TO TRY",
        "lesson.extending_the_model": "EXTENDING THE MODEL",
        "lesson.sources": "SOURCES",
        "lesson.compare": "Compare: {a} vs {b} ({years} years)",
        "lesson.handout": "Student handout (printable)",
        "lesson.loaded": "Lesson '{title}' loaded: scenario '{scenario}', seed {seed}. "
        "The charts the lesson talks about have an orange frame.",
        "lesson.charts": "This lesson's charts: {names}",
        "lesson.close": "Close lesson",
        "lesson.charts_button": "This lesson's charts",
        "lesson.mark": "lesson chart",
        "lesson.seed_note": "Everyone who uses seed {seed} sees the same run; other seeds vary a little.",
        "series.controlled": "controlled by others",
        "series.secure": "domestic supply secure",
        "series.frontier": "world frontier",
        "series.dependence": "dependence {p}%",
        "series.target_label": "target {v}%",
        "panel.births": "births & deaths per year",
        "panel.n_sme": "tech SMEs",
        "panel.vc": "venture capital (bn yuan)",
        # handouts and the teacher guide
        "handout.title": "Student handout",
        "handout.name": "Name",
        "handout.date": "Date",
        "handout.setup": "Set-up",
        "handout.setup_text": "Open the dashboard, choose the lesson '{title}' under 'Classroom lesson' "
        "(scenario '{scenario}', seed {seed}). Press Play and let it run to {stop}.",
        "handout.compare_text": "Then press '{button}' in the lesson panel: it runs '{a}' and '{b}' for {years} "
        "years with the same seed and shows B minus A.",
        "handout.questions": "Questions: write what you see, with numbers and years",
        "handout.try": "Things to try",
        "handout.footer": "China's national innovation system: agent-based model. Lesson '{lesson}'.",
    },
}

ZH: dict[str, str] = {
    "app.title": "中国国家创新体系:实时模型",
    "app.subtitle": "基于主体的模型(Mesa)。每一步为一个季度;数值为全国口径(由主体按权重放大)。",
    "ctl.play": "运行",
    "ctl.pause": "暂停",
    "ctl.step": "单步",
    "ctl.reset": "重置",
    "ctl.speed": "每次刷新运行的季度数",
    "ctl.delay": "两次刷新之间的停顿(毫秒)",
    "ctl.seed": "随机种子",
    "ctl.run_to": "运行到年份",
    "ctl.scenario": "情景",
    "ctl.upload": "……或把情景文件(.toml)拖到这里",
    "ctl.apply_now": "立即生效",
    "ctl.apply_reset": "带着修改重置",
    "ctl.discard": "放弃修改",
    "ctl.download_csv": "指标(CSV)",
    "ctl.png_hint": "每张图右上角的 \u2026 菜单可把图保存为 PNG 或 SVG。",
    "ctl.levers": "政策杠杆与参数",
    "ctl.lever_badge": "杠杆",
    "ctl.only_reset": "仅在重置时生效",
    "ctl.default": "默认值",
    "msg.pending": "有 {n} 项修改尚未生效:{names}。"
    "“立即生效”从下一季度({when})起改变正在运行的模型;"
    "“带着修改重置”则从 {start} 年重新开始。",
    "msg.pending_reset_only": "{names} 只能在重置时修改(它们决定模型的规模和起止时间)。",
    "msg.applied_now": "自 {when} 起生效:{names}。",
    "msg.reset_done": "已重新开始“{scenario}”(种子 {seed}),起始年份 {start}。",
    "msg.error_title": "操作未成功",
    "msg.scenario_loaded": "已载入情景“{name}”:{question}",
    "msg.no_effect_mission": "mission_budget 大于 0,但 mission_field 为 'none':攻关任务预算不起作用。",
    "msg.no_effect_cutoff": "cutoff_fields 为 'none':断供设置不起作用。",
    "msg.start_hint": "按“运行”(或“单步”)启动模型:图表会一个季度一个季度地填满。",
    "msg.stopped": "已到 {year} 年,暂停。要继续,请调高“运行到年份”。",
    "status.time": "{year} 年第 {quarter} 季度 · 第 {step} 步",
    "status.scenario": "情景:{name} · 种子 {seed}",
    "status.agents": "{n} 个主体",
    "group.funding": "经费(政府)",
    "group.firms": "企业",
    "group.finance": "金融(风险投资、政府引导基金)",
    "group.talent": "人才",
    "group.transfer": "技术转移",
    "group.shocks": "外部冲击",
    "group.research": "科研(高级)",
    "group.simulation": "模拟设置(仅重置时生效)",
    "group.assumptions": "行为假设(机制常数)",
    "tab.overview": "研发",
    "tab.system": "资金与能力",
    "tab.firms": "企业与风投",
    "tab.talent": "人才与网络",
    "tab.compare": "情景对比",
    "tab.inspector": "个体查看",
    "chart.intensity": "研发强度(研发经费 / GDP)",
    "chart.intensity.help": "模型结果(线)与国家统计局观测值(点)以及 2020 年 2.5%、2030 年 2.8% 的"
    "国家目标(菱形)对照。当年数值已折算为全年。",
    "chart.performers": "谁在做研发",
    "chart.performers.help": "各执行主体在研发经费中的份额:企业(国企、民企、中小企业)、"
    "科研院所、高校。2015 年观测值:77% / 15% / 7%。",
    "chart.types": "做的是哪类研发",
    "chart.types.help": "基础研究、应用研究和试验发展在研发经费中的份额。2020 年观测值:6% / 11% / 83%。",
    "chart.money": "各类主体之间的资金流",
    "chart.money.help": "当年最大的资金流(元,折算为全年),从一类主体流向另一类。"
    "勾选方框可加入销售、供应商、进口以及研发人员工资和材料。",
    "chart.money.markets": "包括市场与研发支出(销售、供应商、进口、工资)",
    "chart.capability": "国内技术能力与世界前沿",
    "chart.capability.help": "各技术领域的能力相对世界前沿(1 = 达到前沿)。红色:该领域“受制于人”"
    "(对外依赖超过阈值)。",
    "chart.sme": "中小企业、风险投资、新生与倒闭",
    "chart.sme.help": "每年新创企业与倒闭企业数、科技型中小企业数量,以及风险投资额(民间风投与政府引导基金)。",
    "chart.size": "企业规模分布(双对数)",
    "chart.size.help": "按营业收入分档的企业数量(按权重折算为全国),两轴均为对数。一条下降的直线即幂律(齐普夫)。",
    "chart.talent": "各部门研究人员",
    "chart.talent.help": "各部门年末雇用的研究人员(全时当量)。",
    "chart.talent_flows": "今年的人员流动",
    "chart.talent_flows.help": "当年最大的人员流动(折算为全年):毕业、招聘、跳槽、退休、出国与回国。",
    "chart.network": "技术转移与合同网络",
    "chart.network.help": "最近 8 个季度的联系,按主体类型和{by}汇总。圆的大小:主体的联系数;"
    "线的粗细:两组之间的联系数。",
    "chart.network.by": "主体分组方式",
    "chart.compare": "情景 A 与情景 B(同一随机种子)",
    "chart.compare.help": "两次运行使用同一种子;实线 = A,虚线 = B。右列是 B 减 A。",
    "chart.agent": "所选个体的历史",
    "cmp.a": "情景 A",
    "cmp.b": "情景 B",
    "cmp.years": "年数",
    "cmp.run": "同时运行",
    "cmp.indicators": "指标",
    "cmp.running": "运行中……",
    "cmp.empty": "选择两个情景,然后按“同时运行”。",
    "cmp.done": "已用种子 {seed} 运行“{a}”和“{b}”各 {years} 年,用时 {secs:.1f} 秒。",
    "ins.kind": "主体类型",
    "ins.how": "选取方式",
    "ins.largest": "最大",
    "ins.median": "中等规模",
    "ins.smallest": "最小",
    "ins.random": "随机",
    "ins.pick": "选取个体",
    "ins.none": "尚未选取个体:选择类型后按“选取个体”。",
    "ins.gone": "该个体已于 {when} 离开模型(关闭、被收购或上市)。",
    "ins.since": "自你选取它时({when})开始记录;按“运行”或“单步”可继续记录。",
    "ins.state": "当前状态(按每个真实主体;权重 = 它代表的真实主体数)",
    "ins.variable": "要画的变量",
    "kind.soe": "国有企业",
    "kind.private": "民营企业",
    "kind.sme": "科技型中小企业与初创企业",
    "kind.university": "高校",
    "kind.lab": "科研院所(实验室)",
    "kind.vc": "风投机构与引导基金",
    "kind.gov": "政府部门",
    "series.model": "模型",
    "series.observed": "观测值(国家统计局)",
    "series.target": "目标",
    "series.enterprises": "企业",
    "series.institutes": "科研院所",
    "series.universities": "高校",
    "series.basic": "基础研究",
    "series.applied": "应用研究",
    "series.development": "试验发展",
    "series.births": "新创企业",
    "series.deaths": "中小企业倒闭",
    "series.n_sme": "科技型中小企业(数量)",
    "series.vc_invested": "风险投资额(十亿元)",
    "series.guidance_invested": "引导基金投资额(十亿元)",
    "axis.year": "年份",
    "axis.percent": "占 GDP 的百分比",
    "axis.share": "占研发经费的份额",
    "axis.bn_yuan": "十亿元 / 年",
    "axis.people": "人 / 年",
    "axis.capability": "能力(1 = 世界前沿)",
    "axis.revenue": "每家企业营业收入(元 / 年)",
    "axis.firms": "企业数",
    "axis.researchers": "研究人员(全时当量)",
    "axis.flow": "流量",
    "node.gov_central": "中央政府",
    "node.gov_local": "地方政府",
    "node.fiscal": "财政",
    "node.soe": "国企",
    "node.private": "民企",
    "node.sme": "中小企业",
    "node.university": "高校",
    "node.lab": "科研院所",
    "node.private_vc": "民间风投",
    "node.guidance_fund": "引导基金",
    "node.market": "客户",
    "node.suppliers": "供应商",
    "node.households": "研究人员薪酬",
    "node.foreign": "境外",
    "node.investors": "出资人(LP)",
    "node.capital_market": "资本市场",
    "node.founders": "创业者",
    "node.students": "在校学生",
    "node.pool": "求职者",
    "node.enrolment": "新生",
    "node.other_jobs": "其他工作",
    "node.retirement": "退休",
    "node.abroad": "海外",
    "status.start": "{year} 年起点",
    "ctl.language": "语言",
    "ctl.projector": "投影模式",
    "ctl.projector_hint": "大字号,只显示本课的图表,适合教室大屏。",
    "ctl.lesson": "课堂教案",
    "ctl.lesson_none": "(无:自由探索)",
    "lesson.what_is_it": "这是什么?",
    "lesson.how_it_works": "模型如何运作",
    "lesson.how_to_use_it": "如何使用",
    "lesson.things_to_notice": "值得注意的现象",
    "lesson.things_to_try": "可以尝试的事",
    "lesson.extending_the_model": "扩展模型",
    "lesson.sources": "资料来源",
    "lesson.compare": "对比:{a} 与 {b}({years} 年)",
    "lesson.handout": "学生活动单(可打印)",
    "lesson.loaded": "已载入教案“{title}”:情景“{scenario}”,种子 {seed}。本课讲到的图表带橙色边框。",
    "lesson.charts": "本课图表:{names}",
    "lesson.close": "关闭教案",
    "lesson.charts_button": "本课图表",
    "lesson.mark": "本课图表",
    "lesson.seed_note": "使用种子 {seed} 的每个人看到的运行结果完全相同;换一个种子,结果会略有不同。",
    "series.controlled": "受制于人",
    "series.secure": "国内供应有保障",
    "series.frontier": "世界前沿",
    "series.dependence": "对外依赖 {p}%",
    "series.target_label": "目标 {v}%",
    "panel.births": "每年新创与倒闭",
    "panel.n_sme": "科技型中小企业",
    "panel.vc": "风险投资(十亿元)",
    "handout.title": "学生活动单",
    "handout.name": "姓名",
    "handout.date": "日期",
    "handout.setup": "准备",
    "handout.setup_text": "打开仪表盘,在“课堂教案”中选择“{title}”(情景“{scenario}”,种子 {seed})。"
    "按“运行”,让模型运行到 {stop} 年。",
    "handout.compare_text": "然后在教案面板中按“{button}”:它用同一种子把“{a}”和“{b}”各运行 {years} 年,"
    "并显示 B 减 A。",
    "handout.questions": "问题:写下你看到的现象,注明数字和年份",
    "handout.try": "可以尝试的事",
    "handout.footer": "中国国家创新体系:基于主体的模型。教案“{lesson}”。",
}

LABELS["zh"] = ZH

LANGUAGES = {"en": "English", "zh": "中文"}
LANGUAGE = "en"
_source: Callable[[], str] | None = None


def set_language_source(source: Callable[[], str] | None) -> None:
    """Make :func:`current_language` ask ``source()`` (the page passes a per-tab reactive); None resets."""
    global _source
    _source = source


def current_language() -> str:
    """The language labels are shown in now: 'en' or 'zh'."""
    if _source is not None:
        try:
            lang = _source()
        except Exception:
            return LANGUAGE
        return lang if lang in LABELS else LANGUAGE
    return LANGUAGE


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """Return the label ``key`` in ``lang`` (default: the current language), with ``{placeholders}`` filled in."""
    table = LABELS.get(lang or current_language(), LABELS["en"])
    text = table.get(key)
    if text is None:
        text = LABELS["en"][key]
    return text.format(**values) if values else text


def node(name: str) -> str:
    """Readable name of a ledger node, or the node name itself."""
    key = f"node.{name}"
    return t(key) if key in LABELS["en"] else name

"""Simplified Chinese texts that come from the model's own tables (parameters, units, fields, scenarios).

The English originals live in ``abm/params.py``, ``abm/fields.py`` and ``abm/data/scenarios/*.toml``
(the single sources); this file only translates them, keyed by name. tests/test_lessons.py checks
that every parameter, unit, field and shipped scenario has a translation here.
Use :func:`param_meaning`, :func:`unit`, :func:`field_label` and :func:`scenario_text`: they return
the English text when the current language is English.
"""

from __future__ import annotations

from typing import Any

from dashboards.labels import current_language

PARAM_ZH: dict[str, str] = {
    "scale": "每个真实企业或机构对应的主体数(1.0 = 全国 1:1);数量少的类别保留最少主体数。",
    "start_year": "模拟的第一个季度所在的年份。",
    "regions": "区域划分:东部/中部/西部,或再加上北京、上海、深圳三个中心。",
    "gdp_growth": "2015-2020 年观测序列结束后的名义 GDP 增速。",
    "research_budget_gdp": "政府对研发执行主体的直接资助(中央 + 地方),占 GDP 的比例。",
    "central_share": "政府科研预算中由中央政府支出的份额。",
    "stable_share": "中央科研经费中以稳定(机构、定额)方式拨付的份额;其余为竞争性项目经费。",
    "stable_lab_share": "稳定经费中拨给科研院所的份额(其余拨给高校)。",
    "project_firm_share": "中央项目经费中由企业获得的份额(其余由高校和院所获得)。",
    "mission_field": "举国体制关键核心技术攻关任务所在的领域('none' = 无攻关任务)。",
    "mission_budget": "每年的中央攻关任务预算,从项目经费池中划出(总预算不变)。",
    "mission_start_year": "攻关任务开始的年份。",
    "mission_years": "攻关任务的持续年数。",
    "mission_consortium": "谁获得攻关经费:龙头企业牵头的联合体、国企牵头的联合体,或向所有执行主体开放。",
    "mission_coordination": "攻关任务下研究的突破率乘数(集中、协同攻关)。",
    "firm_subsidy_gdp": "对企业的直接研发补贴,占 GDP 的比例。",
    "subsidy_targeting": "补贴给谁:按研发支出给所有研发企业、给追赶型领域的企业,或只给中小企业。",
    "subsidy_additionality": "企业把补贴追加到自身研发预算的比例(其余替代了自有资金)。",
    "rd_super_deduction": "研发费用在应纳税所得额中的加计扣除比例(0.5 = 按 150% 扣除,2015 年规定)。",
    "corporate_tax_rate": "决定研发加计扣除价值的企业所得税率(高新技术企业为 15%)。",
    "rd_price_elasticity": "民营企业研发强度对研发税后价格的弹性。",
    "regional_duplication": "地方资助的院所研究中与其他地区重复(因而增益较少)的比例。",
    "guidance_fund_budget": "政府每年注入政府引导基金的资金。",
    "soe_rd_intensity": "未改革国有企业的研发强度。",
    "soe_reform_share": "已改革国有企业(科改示范企业)所占的比例。",
    "reformed_soe_rd_intensity": "已改革国有企业的研发强度。",
    "private_rd_intensity": "民营企业在考虑税收、投资期限和冲击之前的基准研发强度。",
    "private_long_horizon_share": "研究周期超过 10 年的民营企业所占比例(研究更冒险、更偏应用研究)。",
    "gross_margin": "研发前的经营利润率;其余收入用于支付供应商(部分在境外)。",
    "sme_fixed_cost": "中小企业或初创企业每季度的非研发固定成本。",
    "sme_birth_rate": "每年新生中小企业数占初始中小企业数量的比例(孵化器、众创空间)。",
    "spinoff_rate": "在专利处置完全自主时,每所高校或院所每年衍生的初创企业数。",
    "vc_fundraising": "民间风投机构每年从出资人处新募集的资金(随 GDP 增长)。",
    "vc_deploy_rate": "风投机构每季度愿意投出的现金比例。",
    "round_size": "每家初创企业首轮风险投资的规模(后续轮次随企业成长而扩大)。",
    "vc_horizon_years": "民间风投的持有期限:超过期限仍持有的股份将被出售。",
    "guidance_horizon_years": "政府引导基金的持有期限。",
    "screening_noise": "民间风投判断初创企业质量时的信号噪声。",
    "guidance_screening_noise": "政府引导基金判断初创企业质量时的信号噪声。",
    "ipo_valuation": "初创企业估值超过该值即上市(IPO),成为民营企业。",
    "postgrad_intake": "高校科研方向研究生(硕士和博士)的年招生数。",
    "phd_output": "每年博士毕业生数(博士越多,研究人员生产率越高)。",
    "research_entry_share": "科研方向毕业生中寻求科研岗位的比例(其余从事其他工作)。",
    "study_abroad_share": "出国深造或工作的毕业生比例。",
    "returnee_rate": "在海外的中国研究人员每年回国的比例(人才计划会提高它)。",
    "mobility_friction": "在雇主之间流动的摩擦(1 = 无人流动);科研人员身份互认会降低它。",
    "job_search_rate": "每季度考虑换工作的研究人员比例。",
    "retirement_rate": "每年退休的研究人员比例。",
    "ip_protection": "知识产权保护强度:提高许可和专利申请,减少免费溢出。",
    "patent_disposal_autonomy": "高校和院所许可、转让专利及衍生创业的自主权。",
    "license_price": "技术合同(许可或服务)的平均价格,按 2015 年价格计。",
    "contract_research_share": "企业研发预算中委托给高校和院所的比例。",
    "transfer_rate": "具备完全吸收能力的企业在一个季度内购买一项技术的概率。",
    "region_bias": "在企业本地区找到的技术合作伙伴所占比例。",
    "spillover_rate": "主体通过免费溢出缩小与本地区知识水平差距的速度。",
    "acquisition_rate": "有能力的初创企业每季度被本领域大企业收购的概率。",
    "breakthrough_rate": "在参考科学存量下,每全时当量人年基础和应用研究产生的突破数。",
    "breakthrough_size": "一次突破带来的知识跃升。",
    "stable_risk_premium": "稳定经费资助的研究的额外突破率(风险更高,上限更高)。",
    "project_safety": "项目经费资助的研究的额外渐进进展(更稳妥、周期更短)。",
    "patent_rate": "每全时当量人年应用研究和试验发展产生的发明专利申请数。",
    "learning_rate": "主体以满强度做开发时每季度的知识增长。",
    "cutoff_fields": "境外技术供应被切断的领域('none' 或以逗号分隔的领域名)。",
    "cutoff_start_year": "境外供应切断开始的年份。",
    "cutoff_severity": "断供时无法立即替代的境外投入比例。",
    "control_threshold": "对外依赖超过该值的领域算作“受制于人”。",
}

UNIT_ZH: dict[str, str] = {
    "agents per real actor": "每个真实主体的主体数",
    "calendar year": "年份",
    "choice": "选项",
    "per year (nominal)": "每年(名义)",
    "share of GDP": "占 GDP 比例",
    "share": "比例",
    "field": "领域",
    "yuan per year": "元 / 年",
    "years": "年",
    "multiplier": "乘数",
    "share of R&D expense": "占研发费用比例",
    "elasticity": "弹性",
    "share of revenue": "占营业收入比例",
    "share of SOEs": "占国企比例",
    "share of firms": "占企业比例",
    "yuan per quarter": "元 / 季度",
    "per year": "每年",
    "per institution per year": "每机构每年",
    "share per quarter": "每季度比例",
    "yuan per start-up": "元 / 初创企业",
    "s.d. of quality": "质量的标准差",
    "yuan": "元",
    "persons per year": "人 / 年",
    "per quarter": "每季度",
    "index 0-1": "指数 0-1",
    "yuan per contract": "元 / 合同",
    "share of firm R&D": "占企业研发比例",
    "per researcher-year": "每研究人员年",
    "share of frontier": "占前沿比例",
    "patents per researcher-year": "专利 / 研究人员年",
    "fields": "领域",
}

FIELD_ZH: dict[str, str] = {
    "chips_ict": "芯片与信息通信硬件",
    "digital_ai": "软件、人工智能与平台",
    "advanced_manufacturing": "先进制造与数控机床",
    "new_energy": "新能源与汽车",
    "biotech_health": "生物技术与健康",
    "new_materials": "新材料",
    "aerospace": "航空航天与航空发动机",
    "agriculture": "农业与食品科技",
}

SCENARIO_ZH: dict[str, dict[str, str]] = {
    "baseline": {"name": "2015 年基准",
                 "question": "在 2015 年的政策设定下,创新体系如何运行?"},
    "baseline_calibrated": {"name": "2015 年基准(已校准)",
                            "question": "在 2015 年的政策设定下、行为参数按 2015-2020 年数据拟合后,创新体系如何运行?"},
    "funding_reform": {"name": "经费改革:提高稳定支持",
                       "question": "如果在总预算不变的情况下,稳定(机构)经费在中央科研经费中的比例从不足 30% "
                                   "提高到 50%,重大突破和能力差距会怎样变化?"},
    "soe_reform": {"name": "国企改革",
                   "question": "国企改革(国有企业研发强度从约 3% 提高到改革企业的 13%-18%)对全国研发强度"
                               "和民营企业有什么影响?"},
    "vc_expansion": {"name": "扩大风险投资",
                     "question": "更多的风险投资(或更多的政府引导基金)会提升中小企业的创新,还是只带来更多的"
                                 "生生死死?"},
    "key_core_mission": {"name": "芯片领域的举国体制攻关",
                         "question": "对一项关键核心技术的举国体制攻关能多快缩小差距?其他领域要付出什么代价?"},
    "supply_cutoff": {"name": "境外供应切断",
                      "question": "“受制于人”领域的境外技术供应被切断会带来什么后果?"},
    "supply_cutoff_cushioned": {"name": "境外供应切断(有缓冲政策)",
                                "question": "哪些政策能缓冲境外供应切断的冲击?"},
    "talent_programme": {"name": "人才计划",
                         "question": "人才计划(吸引回国人员、增加博士培养、便利院所与企业之间的流动)如何"
                                     "改变创新体系?"},
}


def _zh() -> bool:
    return current_language() == "zh"


def param_meaning(p: Any) -> str:
    """One-line meaning of a parameter (a row of abm.params) in the current language."""
    return PARAM_ZH.get(p.name, p.meaning) if _zh() else p.meaning


def unit(text: str) -> str:
    """A parameter's unit in the current language."""
    return UNIT_ZH.get(text, text) if _zh() else text


def field_label(name: str, english: str) -> str:
    """Display name of a technology field in the current language."""
    return FIELD_ZH.get(name, english) if _zh() else english


def scenario_text(key: str, meta: Any, what: str) -> str:
    """A shipped scenario's 'name' or 'question' in the current language (uploaded files stay as written)."""
    english = getattr(meta, what)
    if not _zh():
        return english
    return SCENARIO_ZH.get(key, {}).get(what, english)

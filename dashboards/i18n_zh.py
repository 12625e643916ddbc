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
    "mission_consortium": "攻关任务定向申报(key_task_selection 为 'designated')时谁获得经费:龙头企业牵头的联合体、国企牵头的联合体(按类别固定分配),或在大企业和科研机构之间统一评审('open')。",
    "key_task_selection": "谁可以申报攻关任务的关键课题:'open' = 揭榜挂帅,面向本领域所有执行主体(包括民营企业和初创企业)公开竞争,按评审质量择优;'designated' = 只向联合体规则指定的成员定向申报,按其份额分配。",
    "mission_coordination": "攻关任务下研究的突破率乘数(集中、协同攻关)。",
    "stable_evaluation_weight": "每年按机构绩效评价结果重新分配的稳定(机构)经费份额(其余按人员成本分配)。",
    "evaluation_basis": "评价计算什么:'impact' = 每名研究人员的突破和来自企业的委托研究收入;'counts' = 每名研究人员的专利数。",
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
    "breakthrough_rate": "在参考科学存量下,成熟的高风险研究方向中每全时当量人年基础和应用研究产生的突破数。",
    "breakthrough_size": "一次突破带来的知识跃升。",
    "project_cycle_years": "竞争性(中央和地方)项目经费的评估周期:项目的期限,期满时接受评估。",
    "stable_horizon_years": "稳定(机构)经费资助的研究的规划期限,期满时接受评估。",
    "enterprise_horizon_years": "企业自有研发项目的规划期限(长期导向的民营企业为 10 年)。",
    "project_failure_penalty": "竞争性资助方(中央项目、地方、攻关任务、企业、风险投资)在周期结束时停止资助被评为失败项目的概率。",
    "stable_failure_penalty": "稳定经费在期限结束时停止资助被评为失败项目的概率。",
    "patent_rate": "每全时当量人年应用研究和试验发展产生的发明专利申请数。",
    "learning_rate": "主体以满强度做开发时每季度的知识增长。",
    "cutoff_fields": "境外技术供应被切断的领域('none' 或以逗号分隔的领域名)。",
    "cutoff_start_year": "境外供应切断开始的年份。",
    "cutoff_severity": "断供时无法立即替代的境外投入比例。",
    "control_threshold": "对外依赖超过该值的领域算作“受制于人”。",
    "funding_memory_weight": "各主体资金构成移动平均中当季的权重。",
    "national_lab_stable_premium": "国家实验室每单位人员成本获得的稳定支持相对其他实验室的倍数。",
    "review_noise": "项目申报评审的噪声:评审对对数质量的误差标准差,以本次申报者真实对数质量的离散程度为单位。",
    "grant_size": "每份申报书每季度申请的经费,占申报者每季度科研人员成本的比例。",
    "proposal_idea_spread": "申报书的创意质量围绕申报者能力、博士比例和过往业绩所预期水平的离散程度。",
    "track_record_memory": "新结题项目的结果(突破 1、渐进 0.5、失败 0)在执行主体过往业绩中的权重。",
    "evaluation_noise": "机构绩效年度评价的噪声(对数正态,每年抽取)。",
    "evaluation_years": "机构评价所考察的过去产出的时间窗口(移动平均的平均年龄)。",
    "local_institution_share": "地方科研经费中拨给高校和科研机构的比例(其余给本地区企业)。",
    "guidance_central_share": "政府引导基金出资中由中央政府承担的比例(其余由地方政府承担)。",
    "sme_rd_intensity": "科技型中小企业和初创企业税收效应前的基础研发强度。",
    "cutoff_rd_response": "断供领域中非国有企业研发强度的放大系数(进口替代)。第一版的固定乘数,将由企业自身决策取代(议题 11)。",
    "pareto_tail_soe": "国有企业初始规模的帕累托尾指数。",
    "pareto_tail_private": "民营企业初始规模的帕累托尾指数。",
    "pareto_tail_sme": "初创企业初始规模的帕累托尾指数。",
    "sme_initial_runway": "开始时亏损初创企业现金可支撑的平均季度数。",
    "seed_money": "新初创企业创始人投入资金的中位数。",
    "import_share_of_dependence": "每单位对外依赖对应的领域需求进口比例。",
    "foreign_input_share": "每单位对外依赖对应的运营成本境外采购比例。",
    "market_share_sensitivity": "市场份额对相对本领域国家能力的技术能力的敏感度。",
    "soe_market_bonus": "国有企业受保护市场的市场份额系数。",
    "size_drift_capability": "企业能力每高于本领域平均一单位,其对数规模的漂移。",
    "size_noise": "规模为 1(季度收入 100 万元)的企业对数规模增长的季度标准差。",
    "size_noise_slope": "增长标准差随规模按此指数的负幂下降。",
    "vc_signal_threshold": "民营风投投资一家初创企业所需的质量信号。",
    "guidance_signal_threshold": "政府引导基金投资一家初创企业所需的质量信号。",
    "guidance_catch_up_bonus": "政府引导基金对追赶型领域初创企业的偏好(加到信号上)。",
    "vc_investor_payout": "民营风投立即分配给出资人的退出收益比例(不超过其现金)。",
    "ipo_raise_share": "上市的初创企业以新现金募集的估值比例。",
    "valuation_revenue_multiple": "能力和质量处于平均水平时初创企业股权价值相当于年收入的倍数。",
    "vc_max_age_quarters": "寻求风险投资的初创企业的最大年龄。",
    "science_decay": "国家科学存量的衰减率。",
    "institution_spend_rate": "高校或科研机构每季度用于研发的现金比例。",
    "sme_equity_burn": "初创企业每季度用于研发的未花完风投资金比例。",
    "development_half_effort": "渐进式进步达到最大值一半时的开发投入。",
    "duplication_penalty": "每单位重复的地方资助所损失的研究投入。",
    "phd_premium": "全部由博士组成的研究队伍的生产率溢价。",
    "breakthrough_reference_effort": "突破与投入呈线性关系时的投入水平。",
    "breakthrough_effort_exponent": "突破对投入的回报指数(小于 1 为凹)。",
    "above_frontier_scale": "能力每超过前沿这么多,突破带来的提升缩小为 1/e。",
    "technology_absorption": "通过技术交易或收购,买方缩小与卖方差距的比例。",
    "foreign_spillover": "每单位进口比例每季度缩小的与前沿的差距(断供时停止)。",
    "link_spillover": "来自上一个合作伙伴的溢出相对区域溢出率的倍数。",
    "cross_region_spillover": "来自本领域全国知识的溢出相对本区域溢出的倍数。",
    "study_years": "研究型研究生的平均学习年限。",
    "pool_exit_rate": "每季度放弃科研转向其他工作的求职者比例。",
    "abroad_settle_rate": "每年在海外永久定居的研究人员比例。",
    "returnee_phd_share": "回国人员中拥有博士学位的比例。",
    "risk_return": "执行主体预期的成熟高风险研究方向相对于同等投入的稳妥方向的价值(选择项目风险时与失败惩罚相权衡)。",
    "risk_gestation_years": "高风险研究方向的成熟时间:其突破率为成熟水平的 1 - exp(-年龄 / 该值)。",
    "risk_choice_noise": "执行主体风险选择的分散程度(logit 尺度;0 = 都选更优的一端)。",
    "hire_speed": "每季度在求职者池中找工作的比例(在职求职者也同时找工作)。",
    "wage_adjustment": "某领域科研人员工资对其劳动力市场缺口(未填补的空缺减去求职者,按每名研究人员计)的反应。",
    "layoff_speed": "每季度裁减的超额人员比例。",
    "prestige_soe": "国有企业作为雇主的声望(工作稳定),加到对数工资上。",
    "prestige_private": "民营企业作为雇主的声望(参照)。",
    "prestige_sme": "初创企业作为雇主的声望(每单位创意质量另加 0.2)。",
    "prestige_university": "高校作为雇主的声望。",
    "prestige_lab": "科研机构作为雇主的声望。",
    "prestige_national_lab": "国家实验室的额外声望。",
    "vc_need_runway_quarters": "初创企业现金可支撑的季度数低于此值时寻求风险投资。",
    "vc_belief_learning": "每季度消息(收入、产品、突破)使投资者对已投初创企业质量的预期向其真实质量靠近的比例。",
    "valuation_growth_quarters": "投资者和市场为初创企业估值时外推其近期收入增长的季度数。",
    "vc_secondary_discount": "基金在持有期满时必须出售股份(二手份额转让)所接受的估值折扣。",
    "vc_min_premoney_rounds": "投资者接受的最低投前估值,以该轮融资额的倍数计。",
    "ipo_min_age_quarters": "初创企业可以上市的最小年龄。",
    "capability_percentile": "领域的国家能力取其执行主体能力按研究人员加权的这一百分位。",
    "patent_depreciation": "每季度到期或过时的专利存量比例。",
    "staff_target_slack": "雇主人员超过其研发预算所能支付人数的这一倍数时裁员。",
    "absorptive_half_researchers": "吸收能力达到最大值一半时的研究人员数。",
    "acquisition_capability_threshold": "能力超过本领域国家能力这一比例的初创企业可被收购。",
    "acquisition_min_age_quarters": "初创企业可被收购的最小年龄。",
    "acquisition_premium": "收购方支付的价格相对估值的倍数。",
}

UNIT_ZH: dict[str, str] = {
    "log change per quarter": "每季度对数变化",
    "probability": "概率",
    "ratio": "比率",
    "logit": "logit 尺度",
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
    "FTE": "全时当量(人年)",
    "exponent": "指数",
    "index": "指数",
    "log attractiveness": "对数吸引力",
    "multiple of yearly revenue": "年收入倍数",
    "multiple of the round": "本轮融资额的倍数",
    "per quarter per unit of capability": "每季度每单位能力",
    "per unit of capability": "每单位能力",
    "quarters": "季度",
    "s.d. of log score": "对数评分标准差",
    "s.d. of log size per quarter": "每季度对数规模标准差",
    "share of gap": "差距比例",
    "share of valuation": "估值比例",
    "share per unit of dependence": "每单位依赖的比例",
    "tail index": "尾指数",
    "share of national capability": "国家能力的比例",
    "multiple of valuation": "估值倍数",
    "persons (FTE)": "人(全时当量)",
    "s.d. of true log quality": "真实对数质量的标准差",
    "share of staff cost": "占人员成本比例",
    "s.d. of log quality": "对数质量标准差",
    "share per project": "每个项目的比例",
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
    "baseline": {"name": "2015 年基准", "question": "在 2015 年的政策设定下,创新体系如何运行?"},
    "baseline_calibrated": {
        "name": "2015 年基准(已校准)",
        "question": "在 2015 年的政策设定下、行为参数按 2015-2020 年数据拟合后,创新体系如何运行?",
    },
    "funding_reform": {
        "name": "经费改革:提高稳定支持",
        "question": "如果在总预算不变的情况下,稳定(机构)经费在中央科研经费中的比例从不足 30% "
        "提高到 50%,重大突破和能力差距会怎样变化?",
    },
    "soe_reform": {
        "name": "国企改革",
        "question": "国企改革(国有企业研发强度从约 3% 提高到改革企业的 13%-18%)对全国研发强度和民营企业有什么影响?",
    },
    "vc_expansion": {
        "name": "扩大风险投资",
        "question": "更多的风险投资(或更多的政府引导基金)会提升中小企业的创新,还是只带来更多的生生死死?",
    },
    "key_core_mission": {
        "name": "芯片领域的举国体制攻关",
        "question": "对一项关键核心技术的举国体制攻关能多快缩小差距?其他领域要付出什么代价?",
    },
    "supply_cutoff": {"name": "境外供应切断", "question": "“受制于人”领域的境外技术供应被切断会带来什么后果?"},
    "supply_cutoff_cushioned": {"name": "境外供应切断(有缓冲政策)", "question": "哪些政策能缓冲境外供应切断的冲击?"},
    "talent_programme": {
        "name": "人才计划",
        "question": "人才计划(吸引回国人员、增加博士培养、便利院所与企业之间的流动)如何改变创新体系?",
    },
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

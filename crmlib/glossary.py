"""The bilingual glossary of the course's key terms (English, 中文, one-line definition).

Each chapter notebook shows its own slice with ``glossary.table(chapter=N)``; the start
notebook shows all of it. Terms are kept here, once, so that chapters and exercises agree.
Chapter 0 (what CRM is; CRM in the exhibition business) also holds the terms that cut across the course.
"""

from __future__ import annotations

from typing import NamedTuple

from .i18n import N_

__all__ = ["Term", "TERMS", "table", "terms"]


class Term(NamedTuple):
    chapter: int
    english: str
    chinese: str
    definition: str


# One line per term: (chapter, English, Chinese, definition in one sentence). The definitions are marked
# with N_ for the Chinese edition: glossary.table() shown there (crmlib.i18n.translate_frame) gives them in Chinese.
_ROWS = [
    # 0 - the course as a whole
    (
        0,
        "customer relationship management (CRM)",
        "客户关系管理",
        N_("Managing the whole relationship with each customer to create value for both sides over time."),
    ),
    (
        0,
        "relationship marketing",
        "关系营销",
        N_(
            "Marketing that aims to attract, keep and enhance customer relationships rather than single sales (Berry 1983)."
        ),
    ),
    (
        0,
        "customer relationship life cycle",
        "客户关系生命周期",
        N_("The stages of a relationship: cultivation, confirmation, trust, weakening and dissolution."),
    ),
    (0, "internal customer", "内部客户", N_("An employee or department served by others inside the firm.")),
    (
        0,
        "scattered vs integrated customer information",
        "分散的信息 / 集成的信息",
        N_(
            "The slides' bookstore case: information spread over departments gives no full picture of a customer; "
            "integrated information lets the firm centre itself on the customer."
        ),
    ),
    (
        0,
        "customer-centred firm",
        "以客户为中心的企业",
        N_(
            "A firm whose organisation, processes and technology are built around its customers; it needs integrated "
            "business processes and one source of customer information."
        ),
    ),
    (
        0,
        "consumer-centred marketing concept",
        "以消费者为核心的营销观念",
        N_(
            "The 1950s idea of making what consumers want, with three goals: the customer at the centre, coordinated "
            "marketing, long-term profit."
        ),
    ),
    (
        0,
        "contact management",
        "接触管理",
        N_("The 1980s forerunner of CRM: collecting every contact between a customer and the firm."),
    ),
    (
        0,
        "customer care (stage of CRM's history)",
        "客户关怀",
        N_("The 1990s stage of CRM's history: call-centre support and data analysis added to contact management."),
    ),
    (
        0,
        "sales force automation (SFA) / customer service system (CSS)",
        "销售力量自动化系统 / 客户服务系统",
        N_(
            "The two systems that, joined with marketing, field service and computer-telephony integration (CTI), made "
            "the call centre of 1996."
        ),
    ),
    (
        0,
        "call centre",
        "呼叫中心",
        N_(
            "One point of contact that joins selling and service by telephone and computer (1996); Gartner named CRM in 1997."
        ),
    ),
    (
        0,
        "partner relationship management (PRM)",
        "伙伴关系管理",
        N_("CRM's sales, marketing and service functions extended to the firm's business partners and channels."),
    ),
    (
        0,
        "three levels of CRM: philosophy, solution, software",
        "经营管理理念 / 解决方案 / 应用软件系统",
        N_(
            "CRM as a management philosophy (the macro concept), a whole set of solutions (meso) and a software system "
            "(micro)."
        ),
    ),
    (
        0,
        "three aspects of CRM: philosophy, mechanism, software",
        "运营管理理念 / 管理机制 / 应用软件系统",
        N_("CRM as a modern management philosophy, a new management mechanism and a new software system."),
    ),
    (
        0,
        "enterprise / mid-market / small-business CRM",
        "企业级CRM / 中端CRM / 中小企业CRM",
        N_(
            "CRM products by target customer: global or large firms; firms of 200 or more staff across regions; firms "
            "below 200 staff."
        ),
    ),
    (
        0,
        "CRM by degree of integration",
        "CRM专项应用 / CRM整合应用 / CRM企业集成应用",
        N_(
            "A single CRM application, CRM applications integrated with each other, CRM integrated with the whole "
            "enterprise's systems."
        ),
    ),
    (
        0,
        "operational / collaborative / analytical CRM",
        "操作型CRM / 合作型CRM / 分析型CRM",
        N_(
            "CRM by function: automating front-office work; joining the channels of contact; turning data into knowledge."
        ),
    ),
    (
        0,
        "principles of CRM",
        "信息原理 / 投资原理 / 个性化产品和服务原理 / 交流原理 / 整合原理 / 关系意愿原理",
        N_(
            "The slides' six principles: information, investment, personalised products and services, communication, "
            "integration, willingness to have a relationship."
        ),
    ),
    (
        0,
        "myths about CRM",
        "误区",
        N_(
            "The slides' four: CRM is building an IT system; is customer-information management; is a peripheral "
            "function; belongs to one department."
        ),
    ),
    (
        0,
        "functions of CRM",
        "客户关系管理的功能",
        N_("Lower customer costs and selling costs, better customer service, created customer value, a stronger firm."),
    ),
    (
        0,
        "exhibition CRM (ECRM)",
        "会展客户关系管理",
        N_(
            "CRM fitted to the exhibition business; the slides expand ECRM as Exhibition Customer Relationship Management."
        ),
    ),
    (
        0,
        "cooperation and shared gain",
        "合作共赢共荣",
        N_("The goal of exhibition CRM: the fair and its customers cooperate and prosper together."),
    ),
    (
        0,
        "exhibitor",
        "参展商",
        N_("The core customer of a fair (actual or potential exhibitor), at the centre of its CRM."),
    ),
    (
        0,
        "professional / general visitor; effective / ineffective visitor",
        "专业观众 / 普通观众；有效观众 / 无效观众",
        N_(
            "Visitors who come to do business or to look, and who do or do not matter to the exhibitors; their number "
            "must match the exhibitors'."
        ),
    ),
    (
        0,
        "exhibition service provider",
        "会展服务商",
        N_("Stand builders, logistics, hotels and the like, treated as a united front with the organiser."),
    ),
    (
        0,
        "channel preference",
        "渠道偏好",
        N_("Which ways of contact a customer prefers; many channels make it hard to serve each customer in her own."),
    ),
    (
        0,
        "exhibition CRM process",
        "会展客户关系管理的实施流程",
        N_(
            "Collect information (identify, segment, predict customers), tailor offers and services, interact and track "
            "changing needs, evaluate and improve."
        ),
    ),
    (
        0,
        "customer identification / segmentation / prediction",
        "会展客户的识别 / 细分 / 预测",
        N_("The three steps of collecting customer information in the exhibition CRM process."),
    ),
    (
        0,
        "acquisition / retention / loyalty strategy",
        "客户获取战略 / 客户保持战略 / 客户忠诚战略",
        N_(
            "The implementation strategies of exhibition CRM (the exported deck writes the last two 客户保管 and 客户忠实)."
        ),
    ),
    (
        0,
        "customer database",
        "客户数据库",
        N_("The base of CRM: a store of customers' details, behaviour and preferences."),
    ),
    (
        0,
        "clustering / data mining",
        "数据聚类分组 / 数据挖掘",
        N_("Grouping customers with similar data, and finding useful customer information in large data."),
    ),
    (
        0,
        "CRM system modules",
        "数据集成与数据挖掘 / 客户价值评价 / 客户分类管理 / 客户与市场信息互动处置功能模块",
        N_("The four technical modules of an exhibition CRM system."),
    ),
    (
        0,
        "potential-customer value",
        "潜在客户价值",
        N_(
            "What winning a prospect is worth; the suite computes it as P(conversion) x value if won - cost of winning."
        ),
    ),
    (0, "target market", "目标市场", N_("The industries and firms a fair sets out to win as exhibitors and visitors.")),
    (
        0,
        "four steps of prospect communication",
        "确定与谁沟通 / 确定预期沟通的目标 / 设计沟通信息 / 选择沟通的渠道",
        N_("Decide whom to talk to, set the goal, design the message, choose the channel."),
    ),
    (
        0,
        "exhibition-design CRM",
        "展览设计客户关系管理",
        N_(
            "CRM of an exhibition-design firm: integrated contact channels, digitised marketing, sales and service "
            "processes, and information for decisions."
        ),
    ),
    (
        0,
        "pre-show management",
        "展前管理",
        N_(
            "Planning contact with each class of customer before the show: booth invitations, seminars, demonstrations."
        ),
    ),
    (
        0,
        "value-added services",
        "增值服务",
        N_(
            "Market information, virtual exhibitions and online business opportunities (网上虚拟展览 / 在线商机), press "
            "conferences and technical exchanges held with the fair."
        ),
    ),
    (
        0,
        "periodicity of exhibition customers",
        "会展客户的周期性",
        N_(
            "Exhibition customers come back, or not, fair after fair, which is why loyalty matters so much to organisers."
        ),
    ),
    (
        0,
        "record linkage",
        "记录链接",
        N_(
            "Finding the records that belong to one customer across lists without a shared key "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        0,
        "k-means clustering",
        "K均值聚类",
        N_(
            "Grouping customers so that each is closest to the mean of its own group "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        0,
        "precision and recall (of a matching)",
        "精确率 / 召回率",
        N_(
            "The share of the links found that are right, and the share of the right links that are found "
            "(term added by the suite; not in the slides)."
        ),
    ),
    # 1 - the satisfaction trap
    (
        1,
        "customer satisfaction",
        "客户满意",
        N_("How far the experience of a product or service meets or exceeds what the customer expected."),
    ),
    (
        1,
        "customer loyalty",
        "客户忠诚",
        N_("A customer's continued buying from, and preference for, one supplier despite alternatives."),
    ),
    (
        1,
        "satisfaction trap",
        "客户满意陷阱",
        N_("The finding that satisfied customers still defect, so high satisfaction scores need not mean loyalty."),
    ),
    (
        1,
        "zone of indifference",
        "无所谓区域",
        N_("The middle of the satisfaction scale where customers are satisfied but free to leave."),
    ),
    (
        1,
        "zone of affection",
        "喜爱区域",
        N_(
            "The top of the satisfaction scale where customers become loyal advocates "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "zone of defection",
        "背离区域",
        N_(
            "The bottom of the satisfaction scale where customers leave and complain "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "apostle",
        "传道者",
        N_(
            "A very satisfied, very loyal customer who recommends the firm (Jones & Sasser; the slides use the English "
            "word once, untranslated: the Chinese name is added by the suite)."
        ),
    ),
    (
        1,
        "mercenary",
        "唯利是图者",
        N_(
            "A satisfied customer who still switches for a better deal, in Jones & Sasser's typology "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "hostage",
        "人质",
        N_(
            "A dissatisfied customer kept only by switching barriers or a monopoly, in Jones & Sasser's typology "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "defector / terrorist",
        "背叛者 / 恐怖分子",
        N_(
            "A dissatisfied customer who leaves and may spread bad word of mouth, in Jones & Sasser's typology "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "Net Promoter Score (NPS)",
        "净推荐值",
        N_(
            "Share of promoters (9-10) minus share of detractors (0-6) on a 0-10 recommend scale "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "material / emotional / social satisfaction",
        "物质满意 / 精神满意 / 社会满意",
        N_(
            "The three vertical levels of satisfaction (纵向三个层次): with the product itself, with feelings, with social standing."
        ),
    ),
    (
        1,
        "ECSI / ACSI model",
        "欧洲/美国顾客满意度指数模型",
        N_(
            "A structural model linking image, expectations, quality and value to satisfaction and loyalty "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "PLS path modelling",
        "偏最小二乘路径模型",
        N_(
            "A component-based method for estimating structural models with latent constructs "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "top box / top-box multiple",
        "完全满意（最高档） / 最高档倍数",
        N_(
            "The 'completely satisfied' answer (完全满意, a 5, against 满意, a 4, in the slides' Case A); how many times as often "
            "it repurchases as the box below (about 6 at Xerox). The name of the multiple is added by the suite; not in the slides."
        ),
    ),
    (
        1,
        "concept / behaviour / visual / product / service satisfaction",
        "理念满意 / 行为满意 / 视觉满意 / 产品满意 / 服务满意（会展：办展理念 / 展会营销 / 外在视觉形象 / 展会实物 / 展会服务）",
        N_(
            "The five horizontal levels of satisfaction (横向五个层次): with the firm's philosophy, its conduct and marketing, its "
            "visual image, its products and its service. The exhibition deck words them for a fair (办展理念, 展会营销, "
            "外在视觉形象, 展会实物, 展会服务); the short forms 理念满意 ... 服务满意 are the textbook names, added by the suite."
        ),
    ),
    (
        1,
        "retention profit lever",
        "客户保持的利润杠杆",
        N_(
            "The rise in a customer's present value when retention goes up a few points; it depends on retention and discount "
            "rates (term added by the suite; the slides quote the claims as changes in 客户挽留率 or 客户流失率)."
        ),
    ),
    (
        1,
        "new 4P: product, process, presentation, person (people)",
        "新4P：产品、流程、表现、人",
        N_(
            "The relationship-marketing mix: the product, the process that delivers it, how it is presented, and the firm's "
            "people; relationship marketing adds human resources (人力资源) to the marketing mix."
        ),
    ),
    (
        1,
        "drivers of satisfaction",
        "影响顾客满意度的因素 / 质量 / 价格 / 交付时间 / 沟通 / 品牌形象 / 售后服务 / 顾客关怀",
        N_(
            "What moves overall satisfaction in the slides' list: quality, price, delivery time and communication, "
            "then brand image, after-sales service and care."
        ),
    ),
    (
        1,
        "levers for raising satisfaction",
        "服务质量 / 个性化服务 / 建立顾客档案 / 定期沟通",
        N_(
            "The slides' four levers: efficient, friendly service; offers fitted to each customer; a file on each "
            "customer's needs; regular contact to hear how satisfied customers are."
        ),
    ),
    (
        1,
        "key-driver analysis (derived importance, LMG)",
        "关键驱动因素分析（推导重要性）",
        N_(
            "Estimating how much each driver moves overall satisfaction from the survey itself, by regression and by "
            "the LMG (Shapley) split of R² (term added by the suite; not in the slides)."
        ),
    ),
    (
        1,
        "importance-performance grid",
        "重要性—表现矩阵：重点改进 / 继续保持 / 低优先 / 可能过度",
        N_(
            "Drivers plotted by performance and importance; the quadrants call for: concentrate here, keep up the good "
            "work, low priority, possible overkill (Martilla & James 1977; term added by the suite; not in the slides)."
        ),
    ),
    # 2 - loyalty types
    (
        2,
        "behavioural loyalty",
        "行为忠诚",
        N_(
            "Loyalty seen in repeat purchasing; one of the slides' three kinds of loyalty, after Gremler & Brown (1996)."
        ),
    ),
    (
        2,
        "intentional (attitudinal) loyalty",
        "意识忠诚",
        N_(
            "Loyalty as the intention to buy from the firm again; one of the slides' three kinds, after Gremler & Brown (1996)."
        ),
    ),
    (
        2,
        "emotional loyalty",
        "情感忠诚",
        N_(
            "Loyalty as feelings for the firm and its products, shown for example by recommending them; after Gremler & Brown (1996)."
        ),
    ),
    (
        2,
        "relative attitude",
        "相对态度",
        N_("How much a customer prefers the brand over the alternatives (Dick & Basu)."),
    ),
    (2, "repeat patronage / repeat purchase", "重复购买", N_("How often the customer buys again from the same firm.")),
    (2, "true loyalty", "真正的客户忠诚", N_("Repeat buying that comes with a high relative attitude (Dick & Basu).")),
    (
        2,
        "spurious loyalty",
        "虚假忠诚",
        N_(
            "High repeat patronage without a favourable attitude (Dick & Basu). (term added by the suite; not in the slides)"
        ),
    ),
    (
        2,
        "attachment",
        "依恋",
        N_(
            "The customer's emotional tie to a firm; with repeat purchase, one of the two axes of the seven loyalty types."
        ),
    ),
    (
        2,
        "monopoly loyalty",
        "垄断忠诚",
        N_(
            "Repeat buying because the customer has no choice: low attachment, high repeat (the slides' example: business travellers on the train)."
        ),
    ),
    (
        2,
        "inertia loyalty",
        "惰性忠诚",
        N_(
            "Repeat buying out of habit, with low attachment. (not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "latent loyalty",
        "潜在忠诚",
        N_(
            "High attachment but little buying, held back by barriers. (not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "convenience loyalty",
        "方便忠诚",
        N_(
            "Repeat buying because the firm is convenient, with low attachment. (not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "price loyalty",
        "价格忠诚",
        N_(
            "Loyalty to the lowest price, not to a firm: low attachment and low repeat purchase with any one supplier. "
            "(not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "incentive loyalty",
        "激励忠诚",
        N_(
            "Repeat buying for rewards such as points, with low attachment. (not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "premium (super-value) loyalty",
        "超值忠诚",
        N_(
            "High attachment and high repeat buying; true preference. (not in the slide text; from the Chinese textbooks the slides draw on)"
        ),
    ),
    (
        2,
        "cognitive / affective / conative / action loyalty",
        "认知性 / 情感性 / 意向性 / 行为性忠诚感（四类忠诚感）",
        N_(
            "Oliver's four phases from belief through liking and intention to action; the slides call them 四类忠诚感 and name the "
            "first 认知性忠诚感 (the other three Chinese names are the suite's, in the same pattern)."
        ),
    ),
    (
        2,
        "relationship quality",
        "关系质量",
        N_(
            "The strength of a relationship; the slides give four components: trust, satisfaction, belonging and commercial friendship."
        ),
    ),
    (
        2,
        "trust",
        "信任感",
        N_(
            "Belief that the partner's promises are credible and that it cares about one's interests (credibility and benevolence)."
        ),
    ),
    (
        2,
        "satisfaction (in relationship quality)",
        "满足感",
        N_(
            "The customer's state of mind once needs are met; the relationship-quality component (the exhibition deck also writes 客户满意感)."
        ),
    ),
    (
        2,
        "commitment / belonging",
        "归属感",
        N_(
            "The customer's wish to keep a long-term relationship with the firm; its continuance part (持续性归属感, chapter 4) "
            "comes from weighing switching costs and few alternatives and, the slides say, drives cognitive loyalty (认知性忠诚感)."
        ),
    ),
    (
        2,
        "commercial friendship",
        "商业友谊",
        N_(
            "The friendly ties a customer builds with service staff; not the same as friendship in the sociological sense."
        ),
    ),
    (2, "customer delivered value", "客户让渡价值", N_("Total customer value minus total customer cost.")),
    (
        2,
        "quantified loyalty index",
        "客户忠诚量化指数",
        N_(
            "The slides' three-question loyalty score: overall satisfaction, repurchase probability and likelihood of recommending."
        ),
    ),
    (
        2,
        "loyalty measurement criteria",
        "测量客户忠诚度标准",
        N_(
            "Repeat purchases, time spent choosing, price sensitivity, attitude to rivals' products, tolerance of quality problems; "
            "the suite weights them into a 0-100 index."
        ),
    ),
    (
        2,
        "share of wallet",
        "钱包份额",
        N_(
            "The share of a customer's category spending that goes to one firm. (term added by the suite; not in the slides)"
        ),
    ),
    (
        2,
        "no loyalty",
        "无忠诚度",
        N_(
            "Nothing ties the customer to the firm (low attitude, low repeat buying); the lowest of the slides' four levels of loyalty."
        ),
    ),
    (
        2,
        "emotive / inertial / deliberative loyalist",
        "感情型 / 惯性型 / 理智型忠诚客户",
        N_("McKinsey's loyal customers who stay out of liking, out of habit, or after comparing offers."),
    ),
    (
        2,
        "lifestyle-changer / deliberator / dissatisfied switcher",
        "生活方式改变型 / 理智型 / 不满意型客户",
        N_("McKinsey's switchers who leave because their needs changed, after comparing, or after a bad experience."),
    ),
    (
        2,
        "loyalty programme",
        "客户忠诚计划",
        N_("A scheme that rewards repeat buying with points, discounts or recognition."),
    ),
    (
        2,
        "hard / soft benefits",
        "实质的利益 / 软性利益",
        N_(
            "Tangible rewards such as discounts and coupons (wanted by low-involvement customers) versus recognition and service "
            "such as fast check-in, upgrades or lounges (wanted by high-involvement ones)."
        ),
    ),
    (
        2,
        "repeat purchase rate",
        "重复购买率",
        N_("The share of customers who buy at least twice. (term added by the suite; not in the slides)"),
    ),
    (
        2,
        "inter-purchase time",
        "购买间隔时间",
        N_("The time between a customer's consecutive purchases. (term added by the suite; not in the slides)"),
    ),
    (
        2,
        "Cronbach's alpha",
        "克朗巴哈系数",
        N_("The internal-consistency reliability of a multi-item scale. (term added by the suite; not in the slides)"),
    ),
    (
        2,
        "ordered logit",
        "有序逻辑回归",
        N_(
            "A regression model for an ordered categorical outcome such as a 1-5 answer. (term added by the suite; not in the slides)"
        ),
    ),
    (
        2,
        "customer delight",
        "愉悦",
        N_(
            "Pleasure beyond satisfaction; the slides call it the key to loyalty (satisfaction the foundation, trust 信赖 the end point)."
        ),
    ),
    (
        2,
        "monetary / non-monetary value of a loyal customer",
        "货币价值 / 非货币价值",
        N_(
            "What a loyal customer pays (margins that grow with tenure, lower cost to serve) versus what she brings without "
            "paying it (referrals, feedback, lower transaction costs)."
        ),
    ),
    (
        2,
        "customer-number growth effect / retention-time effect",
        "客户数量增长效应 / 客户保持时间效应",
        N_(
            "The two reasons the slides give why loyalty pays: a base that keeps its customers grows larger, and a customer "
            "is worth more per period the longer she stays."
        ),
    ),
    (
        2,
        "transaction costs",
        "交易成本",
        N_(
            "The costs of searching for a trading partner, making the contract and monitoring it, in money, time and effort; "
            "lower with customers the firm already knows."
        ),
    ),
    (
        2,
        "customer value proposition (points of parity / difference / resonance)",
        "客户价值主张（相似点 / 差异点 / 共鸣点）",
        N_(
            "What matters to the customer, set against rivals: where the firm is as good as they are, where it is better, "
            "and what is fitted to this customer's own needs."
        ),
    ),
    # 3 - customer lifetime value
    (
        3,
        "customer lifetime value (CLV), Cv",
        "客户终身价值",
        N_(
            "The present value of the profits a customer is expected to bring over the T periods of her life cycle "
            "counted from the valuation date; the slides' Cv (their exam points also write 客户终生价值)."
        ),
    ),
    (
        3,
        "valuation date; life-cycle length T",
        "核定期；客户生命周期长度",
        N_(
            "The date from which the slides count T, the length of the customer's remaining life cycle, and to which "
            "her future profits are discounted."
        ),
    ),
    (
        3,
        "customer continuing value",
        "客户持续价值",
        N_(
            "Another deck's heading for how much a customer's relationship is worth from now on: the same idea as "
            "CLV, whose symbol Cv the slides label 客户终身价值."
        ),
    ),
    (
        3,
        "core customer",
        "核心客户",
        N_(
            "A customer who matters most to the firm's profit; the slides' loyalty strategy first identifies core "
            "customers, then assesses their lifetime value Cv."
        ),
    ),
    (
        3,
        "customer lifetime profit (CLP)",
        "全生涯周期利润",
        N_(
            "The profit a customer brings over her whole life cycle: the slides' yardstick of customer value, "
            "as opposed to transaction volume (交易额)."
        ),
    ),
    (
        3,
        "current value / growth potential",
        "当前价值 / 增值潜力",
        N_(
            "The slides' two dimensions of predicted lifetime profit: the value expected if the customer's present "
            "behaviour continues, and the additional value from changing it (up- and cross-selling, referrals)."
        ),
    ),
    (
        3,
        "customer value matrix",
        "当前价值 × 增值潜力组合排列",
        N_(
            "Customers arranged on current value and growth potential (an image in the slides), each quadrant with "
            "its own treatment; the quadrant names are the suite's."
        ),
    ),
    (
        3,
        "the right customers",
        "正确的客户",
        N_("Customers willing and able to be loyal whom the firm can also serve at a profit."),
    ),
    (
        3,
        "retention rate",
        "客户保持率",
        N_("The share of customers active in one period who are still active in the next."),
    ),
    (
        3,
        "acquisition cost",
        "获取客户的成本",
        N_("What it costs to win one new customer; worth paying only below the customer's lifetime value."),
    ),
    (
        3,
        "customer equity",
        "客户资产",
        N_(
            "The sum of the lifetime values of all current and future customers"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "discount rate",
        "贴现率",
        N_(
            "The rate at which future money is worth less than money today (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "margin multiple",
        "利润乘数",
        N_(
            "CLV divided by the margin per period: r / (1 + d - r) for an infinite horizon"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "recency, frequency, monetary value (RFM)",
        "最近购买时间、购买频率、消费金额",
        N_(
            "The summary of a purchase history used by customer-base models (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "probability alive",
        "存活概率",
        N_("The probability that a customer has not yet silently left (term added by the suite; not in the slides)"),
    ),
    (
        3,
        "contractual / non-contractual setting",
        "契约型 / 非契约型情境",
        N_(
            "Whether customers' departures are observed (contracts) or hidden (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "shifted-beta-geometric (sBG) model",
        "移位贝塔几何模型",
        N_(
            "A contract-duration model: each customer has a constant churn probability, beta-distributed across customers"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "BG/NBD and Pareto/NBD models",
        "BG/NBD 与 Pareto/NBD 模型",
        N_(
            "Models of repeat buying with unobserved defection, fitted to each customer's frequency, recency and age"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "Gamma-Gamma spend model",
        "Gamma-Gamma 消费金额模型",
        N_("A model of the average value of a customer's purchases (term added by the suite; not in the slides)"),
    ),
    (
        3,
        "holdout validation",
        "留出期检验",
        N_(
            "Checking a model's forecasts on a later period not used for fitting"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        3,
        "discounted expected residual lifetime (DERL)",
        "贴现预期剩余生命期",
        N_(
            "The expected discounted number of future payments of a current contract customer"
            " (term added by the suite; not in the slides)"
        ),
    ),
    # 4 - switching cost and substitute value
    (
        4,
        "switching cost",
        "转移成本 / 转换成本",
        N_(
            "What a customer gives up or spends in searching for and moving to another supplier (S); the slides "
            "write 转移成本 in the ch. 5 deck's substitute value and 转换成本 in the Meituan case."
        ),
    ),
    (
        4,
        "substitute value (SV)",
        "替代顾客价值（替代价值）",
        N_("The net value the customer expects from the best alternative supplier, built from Q, U, P, O, M and S."),
    ),
    (
        4,
        "customer retention model",
        "客户保持模型",
        N_("The slides' model: a customer stays while the current firm's value is at least the substitute value."),
    ),
    (
        4,
        "expected utility",
        "预期效用",
        N_("The value a customer expects from a substitute's product before using it (U), shaped by past experience."),
    ),
    (
        4,
        "continuance commitment",
        "持续性归属感",
        N_("Staying because leaving costs too much or choices are few: the customer's appraisal of switching costs."),
    ),
    (
        4,
        "benefit (of a rival's welcome offer)",
        "利益",
        N_(
            "What a rival's offer is worth to the customer (B); for Meituan, the base fare (起步价) of the first "
            "three orders free plus coupons of 9, 8 and 10 yuan."
        ),
    ),
    (
        4,
        "feeling of a bargain",
        "赚到的感觉",
        N_(
            "The slides' benefit minus switching cost (转换成本): when positive, even a satisfied customer tries the rival."
        ),
    ),
    (4, "churn", "客户流失", N_("Customers ending their relationship with the firm.")),
    (4, "customer retention", "客户保持", N_("Keeping customers buying from the firm.")),
    (
        4,
        "customer care (plan)",
        "客户关怀（计划）",
        N_("Planned contact that listens to customers, solves their problems and follows their changing needs."),
    ),
    (
        4,
        "exit management",
        "退出管理",
        N_("Finding out why customers leave, winning back those worth keeping and ending the rest gracefully."),
    ),
    (
        4,
        "consumer surplus",
        "消费者剩余",
        N_("What a buyer would pay minus what the buyer pays (term added by the suite; not in the slides)"),
    ),
    (
        4,
        "break-even switching cost",
        "盈亏平衡转移成本",
        N_(
            "The switching cost at which the substitute's value just equals the current relationship's value"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        4,
        "switching barrier",
        "转移壁垒",
        N_(
            "Anything that makes leaving hard: switching costs, personal ties, a contract, few alternatives"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        4,
        "procedural / financial / relational switching cost",
        "程序性 / 财务性 / 关系性转移成本",
        N_("Burnham, Frels & Mahajan's three kinds of switching cost (term added by the suite; not in the slides)"),
    ),
    (
        4,
        "logit choice model",
        "Logit 选择模型",
        N_(
            "A model in which the probability of choosing an option rises smoothly with its value advantage"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        4,
        "odds ratio",
        "优势比",
        N_(
            "How many times higher the odds of an event are in one group than in another"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        4,
        "Kaplan-Meier retention curve",
        "Kaplan-Meier 客户保持曲线",
        N_(
            "The estimated share of customers still active after each length of tenure, allowing for censoring"
            " (term added by the suite; not in the slides)"
        ),
    ),
    (
        4,
        "log-rank test",
        "对数秩检验",
        N_(
            "A test of whether two or more retention (survival) curves are equal"
            " (term added by the suite; not in the slides)"
        ),
    ),
    # 5 - the psychology of waiting
    (
        5,
        "psychology of waiting",
        "顾客等待心理",
        N_(
            "How customers experience a wait: Maister's eight principles plus the two added by Davis & Heineke (1994) and Jones & Peppiatt (1996)."
        ),
    ),
    (
        5,
        "perceived waiting time",
        "感知等待时间",
        N_(
            "How long a wait feels, which can differ from its clock duration (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "occupied / unoccupied time",
        "有事可干的等待 / 无所适事的等待",
        N_("Whether the customer has something to do while waiting; unoccupied waits feel longer."),
    ),
    (
        5,
        "pre- and post-process / in-process wait",
        "过程前、过程后 / 过程中的等待",
        N_("Waiting before the service starts or after it ends, versus waiting within it; the first two feel longer."),
    ),
    (
        5,
        "uncertain / unexplained wait",
        "不确定的等待 / 没有说明理由的等待",
        N_("A wait whose length, or whose reason, the customer has not been told."),
    ),
    (
        5,
        "unfair / equitable wait",
        "不公平的等待 / 平等的等待",
        N_(
            "A wait in which later arrivals may be served first, versus one served strictly in turn; unfair waits feel longer."
        ),
    ),
    (
        5,
        "solo / group wait",
        "单个人等待 / 许多人一起等待",
        N_("Waiting alone versus waiting together with others; solo waits feel longer."),
    ),
    (
        5,
        "uncomfortable / comfortable wait",
        "令人身体不舒适的等待 / 舒适的等待",
        N_(
            "A wait that is physically unpleasant (standing, heat, no seat) or not; the principle was added by Davis & Heineke (1994)."
        ),
    ),
    (
        5,
        "unfamiliar / familiar wait",
        "不熟悉的等待 / 熟悉的等待",
        N_(
            "A wait the customer has not, or has, been through before; the principle was added by Jones & Peppiatt (1996)."
        ),
    ),
    (
        5,
        "queue discipline (first come, first served)",
        "排队规则（先到先服务）",
        N_("The order in which waiting customers are served (term added by the suite; not in the slides)."),
    ),
    (
        5,
        "Erlang C formula",
        "爱尔朗C公式",
        N_(
            "The probability that an arriving customer must wait in an M/M/c queue (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "service level",
        "服务水平",
        N_(
            "The share of customers served within a target time, e.g. 80% within 20 seconds (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "utilisation / occupancy",
        "利用率",
        N_(
            "The share of time servers are busy, arrival rate / (servers x service rate); at 1 or more the queue grows without bound (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "abandonment",
        "放弃排队",
        N_("A customer leaving the queue before being served (term added by the suite; not in the slides)."),
    ),
    (
        5,
        "offered load (Erlang)",
        "话务量（爱尔朗）",
        N_(
            "Arrival rate times mean handle time: the number of servers kept busy on average, so a stable queue needs more servers than this (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "average speed of answer (ASA)",
        "平均应答速度",
        N_("The mean time a caller waits before an agent answers (term added by the suite; not in the slides)."),
    ),
    (
        5,
        "Little's law",
        "利特尔法则",
        N_(
            "Mean number waiting = arrival rate x mean waiting time, for any stable queue (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "slips and skips",
        "插队与被插队",
        N_(
            "Being overtaken by a later arrival, or overtaking an earlier one, as Larson (1987) counts them (term added by the suite; not in the slides)."
        ),
    ),
    (
        5,
        "single (serpentine) line",
        "单一蛇形队列",
        N_("One shared first-come-first-served line feeding all servers (term added by the suite; not in the slides)."),
    ),
    (
        5,
        "time-varying arrivals",
        "随时间变化的到达率",
        N_(
            "Arrival rates that change over the day, as in call-centre data (term added by the suite; not in the slides)."
        ),
    ),
    # 6 - the relationship life cycle and retention work
    (
        6,
        "cultivation stage",
        "关系培育阶段",
        N_(
            "The first stage of a relationship: the customer is only a potential customer getting to know the fair; "
            "promotion and word of mouth do the work."
        ),
    ),
    (
        6,
        "confirmation stage",
        "关系确认阶段",
        N_(
            "The customer weighs the value she expects against the cost and decides to take part: the relationship is "
            "confirmed for the first time."
        ),
    ),
    (
        6,
        "trust stage",
        "关系信任阶段",
        N_(
            "The customer tries the fair once or several times and judges it; if it keeps meeting her goals she becomes "
            "loyal. Lengthening this stage matters most."
        ),
    ),
    (
        6,
        "weakening stage",
        "关系弱化阶段",
        N_(
            "Her needs move on, the fair no longer meets them and trust turns into distrust; find and remove the causes."
        ),
    ),
    (
        6,
        "dissolution stage",
        "关系消失阶段",
        N_("She no longer comes and the relationship ends; limit the damage and keep innovating."),
    ),
    (
        6,
        "potential / real / loyal customer",
        "潜在客户 / 现实的客户 / 忠实客户",
        N_(
            "Where the customer stands in the life cycle: before her first visit, once she takes part, once she trusts "
            "the fair fully."
        ),
    ),
    (
        6,
        "identifying weakening relationships",
        "识别正在弱化的客户关系",
        N_(
            "Watching the signs: smaller booth or shorter visits, more complaints and dissatisfaction, fewer contacts, "
            "feeling unfairly treated."
        ),
    ),
    (
        6,
        "rescue or end",
        "挽救 / 终止",
        N_(
            "The decision about a weakening relationship after weighing its pros and cons: try to win it back, or end it."
        ),
    ),
    (
        6,
        "customer retention measures",
        "客户挽留措施",
        N_("What the organiser does to keep a customer whose relationship is weakening."),
    ),
    (
        6,
        "expanding customer relationships",
        "扩大客户关系",
        N_("Growing the relationship with chosen customers by planned goals, actions and care."),
    ),
    (
        6,
        "customer key person",
        "客户关键人",
        N_("The person at the customer who decides or influences; the plan values and positions them."),
    ),
    (
        6,
        "input-output estimate",
        "投入产出",
        N_("The economic estimate of what expanding a relationship costs and returns."),
    ),
    (
        6,
        "actions: family-style service, recommendations, club, offers, personal service, joint promotion, PR",
        "亲情服务 / 产品推荐 / 客户俱乐部 / 优惠推荐 / 个性化的服务措施 / 联合推广 / 公关活动",
        N_("The slides' list of actions for expanding a relationship (plus group events: seminars, training, trips)."),
    ),
    (
        6,
        "communication-barrier and customer-concern analysis",
        "市场沟通障碍分析 / 客户关注点分析",
        N_("The first two steps in designing an activity, before choosing its nature and scope and carrying it out."),
    ),
    (
        6,
        "sales push / brand pull",
        "销售推力 / 品牌的强势拉力",
        N_("Two forces that expand relationships: the sales force pushing, a strong market and brand pulling."),
    ),
    (
        6,
        "customer care plan",
        "客户关怀计划",
        N_(
            "Planned, two-way contact that listens, follows new needs and solves problems: keeps customers, wins back lost "
            "ones and attracts new ones."
        ),
    ),
    (
        6,
        "evaluating customer care",
        "客户关怀的评估",
        N_(
            "Judging the capability behind care by four indicators: planning and goals, customer-analysis methods, "
            "channel building and integration, organisation and posts."
        ),
    ),
    (
        6,
        "capability indicators of care",
        "规划及目标 / 客户分析方法 / 渠道建设与整合 / 机构及职位设置",
        N_("The slides' four indicators for evaluating customer care, each checked with evidence."),
    ),
    (
        6,
        "BG/BB model (beta-geometric/beta-binomial)",
        "贝塔几何/贝塔二项模型",
        N_(
            "Repeat transactions at discrete occasions: each customer transacts with her own p while alive and dies before "
            "each occasion with her own θ (Fader, Hardie & Shang 2010; term added by the suite; not in the slides)."
        ),
    ),
    (
        6,
        "discounted expected residual transactions (DERT)",
        "折现预期剩余交易次数",
        N_(
            "The present value of the transactions a customer is still expected to make, given her history "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        6,
        "Markov chain of stages; transition matrix",
        "阶段马尔可夫链；转移矩阵",
        N_(
            "Customers move between stages period by period with probabilities estimated from counts "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        6,
        "fundamental matrix",
        "基本矩阵",
        N_(
            "N = (I − Q)⁻¹: expected periods spent in each stage before dissolution "
            "(term added by the suite; not in the slides)."
        ),
    ),
    (
        6,
        "early warning; precision / recall",
        "预警；精确率 / 召回率",
        N_(
            "A rule that flags weakening relationships, judged by the share of flagged customers who really left and the "
            "share of leavers it caught (term added by the suite; not in the slides)."
        ),
    ),
    (
        6,
        "concave response; shadow price",
        "边际收益递减；影子价格",
        N_(
            "Each extra yuan of care buys less retention; at the best budget split every funded segment returns the same "
            "per last yuan (term added by the suite; not in the slides)."
        ),
    ),
]

TERMS: tuple[Term, ...] = tuple(Term(*row) for row in _ROWS)


def terms(chapter: int | None = None) -> list[Term]:
    """Terms of one chapter (0 = what CRM is, and course-wide terms; 1-6 = chapters) or of all chapters when ``None``."""
    if chapter is None:
        return list(TERMS)
    chapters = sorted({t.chapter for t in TERMS})
    if chapter not in chapters:
        raise ValueError(f"chapter must be one of {chapters} or None; got {chapter!r}")
    return [t for t in TERMS if t.chapter == chapter]


def table(chapter: int | None = None):
    """The glossary as a :class:`pandas.DataFrame` (columns English, 中文, definition)."""
    import pandas as pd

    rows = terms(chapter)
    frame = pd.DataFrame(
        {
            "English": [t.english for t in rows],
            "中文": [t.chinese for t in rows],
            N_("definition"): [t.definition for t in rows],
        }
    )
    if chapter is None:
        frame.insert(0, N_("chapter"), [t.chapter for t in rows])
    frame.attrs["untranslated"] = ["English", "中文"]  # the Chinese edition keeps both term columns as they are
    return frame

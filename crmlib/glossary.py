"""The bilingual glossary of the course's key terms (English, 中文, one-line definition).

Each chapter notebook shows its own slice with ``glossary.table(chapter=N)``; the start
notebook shows all of it. Terms are kept here, once, so that chapters and exercises agree.
Chapter 0 holds terms that cut across the course.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Term", "TERMS", "table", "terms"]


class Term(NamedTuple):
    chapter: int
    english: str
    chinese: str
    definition: str


# One line per term: (chapter, English, Chinese, definition in one sentence).
_ROWS = [
    # 0 - the course as a whole
    (0, "customer relationship management (CRM)", "客户关系管理",
     "Managing the whole relationship with each customer to create value for both sides over time."),
    (0, "relationship marketing", "关系营销",
     "Marketing that aims to attract, keep and enhance customer relationships rather than single sales (Berry 1983)."),
    (0, "customer relationship life cycle", "客户关系生命周期",
     "The stages of a relationship: cultivation, confirmation, trust, weakening and dissolution."),
    (0, "internal customer", "内部客户", "An employee or department served by others inside the firm."),
    # 1 - the satisfaction trap
    (1, "customer satisfaction", "客户满意",
     "How far the experience of a product or service meets or exceeds what the customer expected."),
    (1, "customer loyalty", "客户忠诚",
     "A customer's continued buying from, and preference for, one supplier despite alternatives."),
    (1, "satisfaction trap", "客户满意陷阱",
     "The finding that satisfied customers still defect, so high satisfaction scores need not mean loyalty."),
    (1, "zone of indifference", "无所谓区域",
     "The middle of the satisfaction scale where customers are satisfied but free to leave."),
    (1, "zone of affection", "喜爱区域", "The top of the satisfaction scale where customers become loyal advocates."),
    (1, "zone of defection", "背离区域", "The bottom of the satisfaction scale where customers leave and complain."),
    (1, "apostle", "传道者", "A very satisfied, very loyal customer who recommends the firm (Jones & Sasser)."),
    (1, "mercenary", "唯利是图者", "A satisfied customer who still switches for a better deal."),
    (1, "hostage", "人质", "A dissatisfied customer kept only by switching barriers or a monopoly."),
    (1, "defector / terrorist", "背叛者 / 恐怖分子", "A dissatisfied customer who leaves and may spread bad word of mouth."),
    (1, "Net Promoter Score (NPS)", "净推荐值", "Share of promoters (9-10) minus share of detractors (0-6) on a 0-10 recommend scale."),
    (1, "material / emotional / social satisfaction", "物质满意 / 精神满意 / 社会满意",
     "The vertical levels of satisfaction: with the product itself, with feelings, with social standing."),
    (1, "ECSI / ACSI model", "欧洲/美国顾客满意度指数模型",
     "A structural model linking image, expectations, quality and value to satisfaction and loyalty."),
    (1, "PLS path modelling", "偏最小二乘路径模型", "A component-based method for estimating structural models with latent constructs."),
    (1, "top box / top-box multiple", "最高满意度 / 最高满意度倍数",
     "The 'completely satisfied' answer; how many times as often it repurchases as the box below (about 6 at Xerox)."),
    (1, "concept / behaviour / visual / product / service satisfaction", "理念满意 / 行为满意 / 视觉满意 / 产品满意 / 服务满意",
     "The horizontal levels of satisfaction: with the firm's philosophy, its conduct, its look, its products and its service."),
    (1, "retention profit lever", "客户保持的利润杠杆",
     "The rise in a customer's present value when retention goes up a few points; it depends on retention and discount rates."),
    (1, "new 4P: product, process, presentation, person", "新4P：产品、过程、展示、人员",
     "A relationship-marketing mix that adds how service is delivered, shown and personalised to the product itself."),
    # 2 - loyalty types
    (2, "behavioural loyalty", "行为忠诚", "Loyalty seen in repeat purchasing."),
    (2, "intentional (attitudinal) loyalty", "意识忠诚", "Loyalty as the intention to keep buying."),
    (2, "emotional loyalty", "情感忠诚", "Loyalty as liking and attachment to the brand or firm."),
    (2, "relative attitude", "相对态度", "How much a customer prefers the brand over the alternatives (Dick & Basu)."),
    (2, "repeat patronage", "重复购买", "How often the customer buys again."),
    (2, "true loyalty", "真正忠诚", "High relative attitude with high repeat patronage."),
    (2, "spurious loyalty", "虚假忠诚", "High repeat patronage without a favourable attitude."),
    (2, "monopoly loyalty", "垄断忠诚", "Repeat buying because there is no alternative; low attachment."),
    (2, "inertia loyalty", "惰性忠诚", "Repeat buying out of habit; low attachment."),
    (2, "latent loyalty", "潜在忠诚", "High attachment but little buying, held back by barriers."),
    (2, "convenience loyalty", "方便忠诚", "Repeat buying because the supplier is convenient."),
    (2, "price loyalty", "价格忠诚", "Repeat buying because the price is lowest."),
    (2, "incentive loyalty", "激励忠诚", "Repeat buying for rewards such as points."),
    (2, "premium (super-value) loyalty", "超值忠诚", "High attachment and high repeat buying; true preference."),
    (2, "cognitive / affective / conative / action loyalty", "认知 / 情感 / 意向 / 行为忠诚",
     "Oliver's four phases from belief through liking and intention to action."),
    (2, "relationship quality", "关系质量", "The strength of a relationship: satisfaction, trust, commitment and commercial friendship."),
    (2, "trust", "信任感", "Belief in the partner's credibility and benevolence."),
    (2, "commitment / belonging", "归属感", "The wish to keep a valued relationship; its continuance part comes from switching costs."),
    (2, "commercial friendship", "商业友谊", "Personal ties between customers and service staff."),
    (2, "customer delivered value", "客户让渡价值", "Total customer value minus total customer cost."),
    (2, "loyalty index", "客户忠诚量化指数", "A score combining measures of loyalty with stated weights."),
    (2, "share of wallet", "钱包份额", "The share of a customer's category spending that goes to one firm."),
    (2, "no loyalty", "无忠诚", "Low attitude and low repeat buying: nothing ties the customer to the firm."),
    (2, "emotive / inertial / deliberative loyalist", "感情型 / 惯性型 / 理智型忠诚者",
     "McKinsey's loyal customers who stay out of liking, out of habit, or after comparing offers."),
    (2, "lifestyle-changer / deliberator / dissatisfied switcher", "生活方式改变型 / 理智型 / 不满意型",
     "McKinsey's switchers who leave because their needs changed, after comparing, or after a bad experience."),
    (2, "loyalty programme", "忠诚计划", "A scheme that rewards repeat buying with points, discounts or recognition."),
    (2, "hard / soft benefits", "硬利益 / 软利益",
     "Tangible rewards such as discounts versus recognition and service such as fast check-in or lounges."),
    (2, "repeat purchase rate", "重复购买率", "The share of customers who buy at least twice."),
    (2, "inter-purchase time", "购买间隔时间", "The time between a customer's consecutive purchases."),
    (2, "Cronbach's alpha", "克朗巴哈系数", "The internal-consistency reliability of a multi-item scale."),
    (2, "ordered logit", "有序逻辑回归", "A regression model for an ordered categorical outcome such as a 1-5 answer."),
    (2, "customer delight", "顾客愉悦", "Satisfaction beyond expectations; the key step from satisfaction to loyalty."),
    # 3 - customer lifetime value
    (3, "customer lifetime value (CLV)", "客户终身价值",
     "The present value of the profits a customer will bring over the whole relationship."),
    (3, "customer continuing value", "客户持续价值", "The value of a customer's future relationship from the valuation date on."),
    (3, "customer equity", "客户资产", "The sum of the lifetime values of all current and future customers."),
    (3, "retention rate", "客户保持率", "The share of customers active in one period who are still active in the next."),
    (3, "discount rate", "贴现率", "The rate at which future money is worth less than money today."),
    (3, "margin multiple", "利润乘数", "CLV divided by the margin per period: r / (1 + d - r) for an infinite horizon."),
    (3, "recency, frequency, monetary value (RFM)", "最近购买时间、购买频率、消费金额",
     "The summary of a purchase history used by customer-base models."),
    (3, "probability alive", "存活概率", "The probability that a customer has not yet silently left."),
    (3, "contractual / non-contractual setting", "契约型 / 非契约型情境", "Whether customers' departures are observed (contracts) or hidden."),
    (3, "current value / growth potential", "当前价值 / 增值潜力", "The two axes of the customer value matrix."),
    (3, "customer lifetime profit", "全生涯周期利润", "The profit from a customer over the whole relationship, not transaction volume."),
    (3, "acquisition cost", "客户获取成本", "What it costs to win one new customer; worth paying only below the customer's lifetime value."),
    (3, "shifted-beta-geometric (sBG) model", "移位贝塔几何模型",
     "A contract-duration model: each customer has a constant churn probability, beta-distributed across customers."),
    (3, "BG/NBD and Pareto/NBD models", "BG/NBD 与 Pareto/NBD 模型",
     "Models of repeat buying with unobserved defection, fitted to each customer's frequency, recency and age."),
    (3, "Gamma-Gamma spend model", "Gamma-Gamma 消费金额模型", "A model of the average value of a customer's purchases."),
    (3, "holdout validation", "留出期检验", "Checking a model's forecasts on a later period not used for fitting."),
    (3, "discounted expected residual lifetime (DERL)", "贴现预期剩余生命期",
     "The expected discounted number of future payments of a current contract customer."),
    (3, "customer value matrix", "客户价值矩阵",
     "Customers placed by current value and growth potential, each quadrant with its own treatment."),
    # 4 - switching cost and substitute value
    (4, "switching cost", "转移成本", "What a customer gives up or spends in searching for and moving to another supplier."),
    (4, "substitute value (SV)", "替代顾客价值", "The net value the customer expects from the best alternative supplier."),
    (4, "expected utility", "期望效用", "The value a customer expects, before experiencing it, from a product."),
    (4, "continuance commitment", "持续承诺", "Staying because leaving costs too much or there are few alternatives."),
    (4, "procedural / financial / relational switching cost", "程序性 / 财务性 / 关系性转移成本",
     "Burnham, Frels & Mahajan's three kinds of switching cost."),
    (4, "churn", "客户流失", "Customers ending their relationship with the firm."),
    (4, "customer retention", "客户保持", "Keeping customers buying from the firm."),
    (4, "consumer surplus", "消费者剩余", "What a buyer would pay minus what the buyer pays."),
    (4, "switching barrier", "转移壁垒",
     "Anything that makes leaving hard: switching costs, personal ties, a contract, few attractive alternatives."),
    (4, "break-even switching cost", "盈亏平衡转移成本",
     "The switching cost at which the substitute's value just equals the current relationship's value."),
    (4, "switching promotion", "转移促销（拉新优惠）",
     "A rival's offer (free first rides, coupons) that pays customers to switch: benefit minus switching cost."),
    (4, "logit choice model", "Logit 选择模型",
     "A model in which the probability of choosing an option rises smoothly with its value advantage."),
    (4, "odds ratio", "优势比", "How many times higher the odds of an event are in one group than in another."),
    (4, "Kaplan-Meier retention curve", "Kaplan-Meier 客户保持曲线",
     "The estimated share of customers still active after each length of tenure, allowing for censoring."),
    (4, "customer exit management", "客户退出管理",
     "Finding out why customers leave, winning back those worth keeping and ending the rest gracefully."),
    # 5 - the psychology of waiting
    (5, "perceived waiting time", "感知等待时间", "How long a wait feels, which can differ from its clock duration."),
    (5, "occupied / unoccupied time", "有事可做 / 无事可做的时间", "Whether the customer has something to do while waiting."),
    (5, "pre-process / in-process wait", "过程前 / 过程中等待", "Waiting before service starts versus within it."),
    (5, "queue discipline (first come, first served)", "排队规则（先到先服务）", "The order in which waiting customers are served."),
    (5, "Erlang C formula", "爱尔朗C公式", "The probability that an arriving customer must wait in an M/M/c queue."),
    (5, "service level", "服务水平", "The share of customers served within a target time, e.g. 80% within 20 seconds."),
    (5, "utilisation / occupancy", "利用率", "The share of time servers are busy: arrival rate / (servers x service rate)."),
    (5, "abandonment", "放弃排队", "A customer leaving the queue before being served."),
    (5, "offered load (Erlang)", "话务量（爱尔朗）", "Arrival rate times mean handle time: the number of servers kept busy on average."),
    (5, "average speed of answer (ASA)", "平均应答速度", "The mean time a caller waits before an agent answers."),
    (5, "Little's law", "利特尔法则", "Mean number waiting = arrival rate x mean waiting time, for any stable queue."),
    (5, "slips and skips", "插队与被插队", "Being overtaken by a later arrival, or overtaking an earlier one (Larson 1987)."),
    (5, "single (serpentine) line", "单一蛇形队列", "One shared first-come-first-served line feeding all servers."),
    (5, "uncertain / unexplained wait", "不确定的 / 没有解释的等待", "A wait whose length or cause the customer does not know."),
    (5, "time-varying arrivals", "随时间变化的到达率", "Arrival rates that change over the day, as in call-centre data."),
]

TERMS: tuple[Term, ...] = tuple(Term(*row) for row in _ROWS)


def terms(chapter: int | None = None) -> list[Term]:
    """Terms of one chapter (0 = course-wide, 1-5 = chapters) or of all chapters when ``None``."""
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
    frame = pd.DataFrame({"English": [t.english for t in rows], "中文": [t.chinese for t in rows],
                          "definition": [t.definition for t in rows]})
    if chapter is None:
        frame.insert(0, "chapter", [t.chapter for t in rows])
    return frame

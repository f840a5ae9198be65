"""Valid calls of crmlib.datasets and crmlib.glossary for the convention tests (see api_examples.py)."""

from api_examples import Example

EXAMPLES = {
    "crmlib.datasets.metadata": Example(dict(name="telco_churn")),
    "crmlib.datasets.load_cdnow": Example(dict(sample=True)),
    "crmlib.datasets.load_telco_churn": Example({}),
    "crmlib.datasets.load_bank_calls": Example({}),
    "crmlib.datasets.load_donations": Example({}),
    "crmlib.datasets.constructed_driver_survey": Example(
        dict(n_respondents=50, rng=lambda: __import__("numpy").random.default_rng(1), halo=0.4, r_squared=0.6)
    ),
    "crmlib.datasets.content_sha256": Example(
        dict(path=lambda: __import__("crmlib.datasets").datasets.data_dir() / "README.md")
    ),
}

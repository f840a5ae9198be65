"""Valid calls of crmlib.datasets and crmlib.glossary for the convention tests (see api_examples.py)."""

from api_examples import Example

EXAMPLES = {
    "crmlib.datasets.metadata": Example(dict(name="telco_churn")),
    "crmlib.datasets.load_cdnow": Example(dict(sample=True)),
    "crmlib.datasets.load_telco_churn": Example({}),
    "crmlib.datasets.load_bank_calls": Example({}),
    "crmlib.datasets.load_donations": Example({}),
    "crmlib.datasets.content_sha256": Example(
        dict(path=lambda: __import__("crmlib.datasets").datasets.data_dir() / "README.md")
    ),
}

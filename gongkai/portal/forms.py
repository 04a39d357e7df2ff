"""The public filters: plain GET forms, every control with its label. An unknown value is ignored, never an error."""

from django import forms

from gongkai.catalogue.models import DocumentType, Genre, Validity

ALL = ("", "全部")
QUERY_MAX_LENGTH = 100
SORTS = [("newest", "发布日期从新到旧"), ("oldest", "发布日期从旧到新")]


class FilterForm(forms.Form):
    """Filters shared by the item list and the search: 文件类型, 主题分类, 发布年度, 有效性."""

    type = forms.ChoiceField(label="文件类型", required=False, choices=[ALL, *DocumentType.choices])
    topic = forms.ChoiceField(label="主题分类", required=False)
    year = forms.TypedChoiceField(label="发布年度", required=False, coerce=int, empty_value=None)
    validity = forms.ChoiceField(label="有效性", required=False, choices=[ALL, *Validity.choices])

    def __init__(self, data=None, *, topics: list[str] = (), years: list[int] = (), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["topic"].choices = [ALL, *((t, t) for t in topics)]
        self.fields["year"].choices = [ALL, *((str(y), f"{y}年") for y in years)]

    def values(self) -> dict:
        """The valid filters (an invalid one is dropped), with the names the selectors use."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "document_type": data.get("type") or "",
            "topic": data.get("topic") or "",
            "year": data.get("year"),
            "validity": data.get("validity") or "",
        }


class ItemFilterForm(FilterForm):
    genre = forms.ChoiceField(label="体裁", required=False, choices=[ALL, *Genre.choices])
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)
    # Set by the catalogue's "查看全部" links; shown as the entry's name above the list.
    entry = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def values(self) -> dict:
        values = super().values()
        data = getattr(self, "cleaned_data", {})
        values["genre"] = data.get("genre") or ""
        values["entry"] = data.get("entry")
        return values

    @property
    def oldest_first(self) -> bool:
        return getattr(self, "cleaned_data", {}).get("sort") == "oldest"


class SearchForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(
        attrs={"type": "search", "maxlength": QUERY_MAX_LENGTH, "placeholder": "标题、正文、文号、索引号"}))

    field_order = ["q", "type", "topic", "year", "validity"]

    def query(self) -> str:
        self.is_valid()
        return (getattr(self, "cleaned_data", {}).get("q") or "").strip()[:QUERY_MAX_LENGTH]

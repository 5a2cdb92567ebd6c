from django import template

from comptoir.core.charts import percent_class

register = template.Library()


@register.simple_tag
def bar_width(value: float, total: float) -> str:
    """`<span class="{% bar_width done total %}">`: a bar's width as a class (strict CSP, no inline style)."""
    return percent_class(value or 0, total or 0)

from django import template

from earlyhelp.episodes.navigation import episode_tabs

register = template.Library()


@register.inclusion_tag("episodes/includes/sub_navigation.html", takes_context=True)
def episode_sub_navigation(context, episode):
    return {"tabs": episode_tabs(episode.pk, context["request"].path)}

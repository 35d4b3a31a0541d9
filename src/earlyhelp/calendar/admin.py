from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import ClosureDay


class ClosureDayAdmin(AdministratorOnlyAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


admin_site.register(ClosureDay, ClosureDayAdmin)

"""People in Django admin: for administrators to look things up; changes go through the service's pages."""

from django.contrib import admin

from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import Family, FamilyAddress, FamilyMember, Involvement, Person, PersonMerge, Relationship


class ReadOnlyAdmin(AdministratorOnlyAdmin):
    """Children's records change only through the service, where every rule and audit applies."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0
    can_delete = False
    fields = ["person", "role", "joined_on", "left_on"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonAdmin(ReadOnlyAdmin):
    list_display = ["pk", "last_name", "first_name", "known_as", "date_of_birth", "nhs_number", "postcode", "merged_into"]
    list_filter = ["sen_status", "disability", "ethnicity"]
    search_fields = ["last_name", "first_name", "known_as", "nhs_number", "upn", "postcode"]
    list_select_related = ["merged_into"]


class FamilyAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "postcode", "locality", "created_at"]
    list_filter = ["locality"]
    search_fields = ["name", "postcode"]
    list_select_related = ["locality"]
    inlines = [FamilyMemberInline]


class InvolvementAdmin(ReadOnlyAdmin):
    list_display = ["person", "agency", "practitioner", "practitioner_name", "is_lead_professional", "started_on", "ended_on"]
    list_filter = ["is_lead_professional", "agency__kind"]
    list_select_related = ["person", "agency", "practitioner"]
    search_fields = ["person__last_name", "practitioner_name", "agency__name"]


class RelationshipAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "relative", "has_parental_responsibility"]
    list_select_related = ["person", "relative"]
    search_fields = ["person__last_name", "relative__last_name"]


class FamilyAddressAdmin(ReadOnlyAdmin):
    list_display = ["family", "postcode", "moved_in", "moved_out"]
    list_select_related = ["family"]
    search_fields = ["family__name", "postcode"]


class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ["merged_at", "kept", "duplicate", "merged_by"]
    list_select_related = ["kept", "duplicate", "merged_by"]


admin_site.register(Person, PersonAdmin)
admin_site.register(Family, FamilyAdmin)
admin_site.register(Involvement, InvolvementAdmin)
admin_site.register(Relationship, RelationshipAdmin)
admin_site.register(FamilyAddress, FamilyAddressAdmin)
admin_site.register(PersonMerge, PersonMergeAdmin)

"""The directory's records as Open Referral UK (HSDS 3.0 UK profile) JSON, one function for each kind."""

from .models import Location, Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm


def _number(value):
    return float(value) if value is not None else None


def organization_json(organization: Organization) -> dict:
    return {"id": organization.oruk_id, "name": organization.name, "description": organization.description,
            "email": organization.email or None, "url": organization.url or None}


def taxonomy_json(taxonomy: Taxonomy) -> dict:
    return {"id": taxonomy.oruk_id, "name": taxonomy.name, "description": taxonomy.description,
            "uri": taxonomy.uri or None, "version": taxonomy.version or None}


def taxonomy_term_json(term: TaxonomyTerm) -> dict:
    return {"id": term.oruk_id, "code": term.code or None, "name": term.name, "description": term.description,
            "taxonomy_id": term.taxonomy.oruk_id if term.taxonomy else None,
            "parent_id": term.parent.oruk_id if term.parent else None,
            "taxonomy_detail": term.taxonomy.name if term.taxonomy else None}


def location_json(location: Location) -> dict:
    address = {"id": f"{location.oruk_id}-address", "location_id": location.oruk_id,
               "address_1": location.address_1, "city": location.city, "postal_code": location.postcode,
               "country": "GB", "address_type": "physical" if location.location_type == "physical" else "postal"}
    return {"id": location.oruk_id, "location_type": location.location_type, "name": location.name or None,
            "latitude": _number(location.latitude), "longitude": _number(location.longitude),
            "addresses": [address] if location.postcode or location.address_1 else []}


def service_at_location_json(sal: ServiceAtLocation, *, with_service: bool = False) -> dict:
    body = {"id": sal.oruk_id, "service_id": sal.service.oruk_id, "location_id": sal.location.oruk_id,
            "location": location_json(sal.location)}
    if with_service:
        body["service"] = {"id": sal.service.oruk_id, "name": sal.service.name, "status": sal.service.status}
    return body


def service_json(service: Service) -> dict:
    return {
        "id": service.oruk_id, "organization_id": service.organization.oruk_id, "name": service.name,
        "description": service.description, "url": service.url or None, "email": service.email or None,
        "status": service.status, "eligibility_description": service.eligibility_description or None,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "organization": organization_json(service.organization),
        "phones": [{"id": f"{service.oruk_id}-phone", "number": service.phone}] if service.phone else [],
        "service_at_locations": [service_at_location_json(sal) for sal in service.service_at_locations.all()],
        "attributes": [
            {"id": f"{service.oruk_id}-{term.oruk_id}", "link_type": "taxonomy", "link_entity": "service",
             "link_id": service.oruk_id, "taxonomy_term_id": term.oruk_id, "taxonomy_term": taxonomy_term_json(term)}
            for term in service.taxonomy_terms.all()
        ],
    }

from mopr import policy
from mopr.middleware import SESSION_2FA
from mopr.models import Role
from registers import selectors_time


def organisation(request):
    """What the navigation needs to know about the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if request.session.get(SESSION_2FA) and not user.is_verified():
        # Between the password and the code: nothing but the way out.
        return {"nav": {"pending_second_factor": True, "institution": user.institution}}
    roles = policy.roles_of(user)
    readers = bool(roles.institution_roles & policy.INSTITUTION_READERS)
    return {
        "nav": {
            "roles": sorted(r.label for r in roles.all),
            "institution": user.institution,
            "case_list": policy.user_may_see_case_list(user),
            "intake": policy.user_may_register_reports(user),
            "queue": bool(policy.regions_coordinated_by(user)),
            "deadlines": policy.user_runs_social_work(user)
            or bool(policy.regions_coordinated_by(user))
            or roles.has(Role.FAMILY_ASSISTANT),
            "assistant": roles.has(Role.FAMILY_ASSISTANT),
            "assistant_queue": policy.user_may_assign_assistant(user),
            "director": roles.has(Role.DIRECTOR),
            "retention": policy.user_may_anonymise(user),
            "access_log": policy.user_may_read_access_log(user),
            "lockouts": policy.user_may_unlock_accounts(user),
            # Registers and coordination: computed from the roles alone, no query per page.
            "register": bool(policy.regions_coordinated_by(user)) or readers,
            "meetings": readers or bool(roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR)),
            "inspections": readers or bool(policy.regions_coordinated_by(user)),
            "monitoring_queue": bool(roles.institution_roles & policy.DIRECTING_ROLES),
            "time": selectors_time.user_records_time(user),
            "time_team": selectors_time.time_scope(user) is not None and not selectors_time.user_records_time(user),
        }
    }

from mopr import policy
from mopr.models import Role


def organisation(request):
    """What the navigation needs to know about the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = policy.roles_of(user)
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
        }
    }

from django.utils.functional import SimpleLazyObject

from inbox.selectors import unread_count
from mopr import policy
from mopr.middleware import SESSION_2FA


def organisation(request):
    """What the navigation needs to know about the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if request.session.get(SESSION_2FA) and not user.is_verified():
        # Between the password and the code: nothing but the way out.
        return {"nav": {"pending_second_factor": True, "institution": user.institution}}
    return {
        "nav": {
            "roles": sorted(r.label for r in policy.roles_of(user).all),
            "institution": user.institution,
            "case_list": policy.user_may_see_case_list(user),
            "intake": policy.user_may_register_reports(user),
            "queue": bool(policy.regions_coordinated_by(user)),
            "deadlines": policy.user_follows_deadlines(user),
            "assistant": policy.user_is_family_assistant(user),
            "assistant_queue": policy.user_may_assign_assistant(user),
            "authorisations": policy.user_may_authorise(user),
            "retention": policy.user_may_anonymise(user),
            "access_log": policy.user_may_read_access_log(user),
            "lockouts": policy.user_may_unlock_accounts(user),
            "directory": policy.user_may_edit_directory(user),
            "settings": policy.user_may_configure_institution(user),
            "covers": policy.user_sets_covers(user),
            "handover": policy.user_hands_over(user),
            # Lazy: counted only where the menu is drawn (one indexed query).
            "unread": SimpleLazyObject(lambda: unread_count(user=user)),
            # Registers and coordination: computed from the roles alone, no query per page.
            "register": policy.user_oversees_regions(user),
            "meetings": policy.user_sees_meetings(user),
            "inspections": policy.user_oversees_regions(user),
            "monitoring_queue": policy.user_directs_monitorings(user),
            "time": policy.user_records_time(user),
            "time_team": policy.time_scope(user) is not None and not policy.user_records_time(user),
        }
    }

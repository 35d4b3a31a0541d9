"""The demo sign-ins: one account per role, listed on the sign-in page in demo mode only."""

from dataclasses import dataclass

from .models import Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    job_title: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("partner", Role.PARTNER_PRACTITIONER, "Priya", "Shah", "Designated safeguarding lead"),
    DemoAccount("practitioner", Role.EARLY_HELP_PRACTITIONER, "Tom", "Fletcher", "Family practitioner"),
    DemoAccount("adviser", Role.EARLY_HELP_ADVISER, "Grace", "Okafor", "Early help adviser"),
    DemoAccount("manager", Role.TEAM_MANAGER, "Helen", "Barker", "Locality team manager"),
    DemoAccount("frontdoor", Role.FRONT_DOOR_OFFICER, "Daniel", "Hughes", "Early help hub officer"),
    DemoAccount("socialworker", Role.SOCIAL_WORKER, "Aisha", "Rahman", "Social worker"),
    DemoAccount("analyst", Role.PERFORMANCE_ANALYST, "Martin", "Cole", "Performance analyst"),
    DemoAccount("admin", Role.ADMINISTRATOR, "Sue", "Patel", "System administrator"),
)

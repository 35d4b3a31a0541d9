"""Print docs/roles.md's tables of the declared access policy, from the code that enforces it.

    .venv/bin/python scripts/policy_table.py

tests/test_roles_doc.py fails when docs/roles.md and the declarations differ; paste this output
between the markers in docs/roles.md to bring them back together.
"""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.config.settings.test")
    import django

    django.setup()
    from earlyhelp.policy import policy_tables

    print(policy_tables())

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
application = get_wsgi_application()

# start-up costs (jieba's dictionary, the category model) are paid here, not in the first request
from kesu.triage.warmup import triage_warm  # noqa: E402

triage_warm()

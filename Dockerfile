# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 LIAISON_VAR_DIR=/app/var
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config config
COPY liaison liaison
COPY stations stations
COPY deputies deputies
COPY suggestions suggestions
COPY accounts accounts
COPY demo demo
COPY bench bench
RUN pip install .
COPY . .
# Collected as production serves them: hashed names and the manifest whitenoise reads. A
# build without DJANGO_ENV=production writes no manifest, and every production page is a 500.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

"""Trainer: state-wide live training of gram panchayats."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from trainer.config import Config, check_instance_key_allowed, instance_secret_key, normalise_database_url
from trainer.core.urls import DatabaseIntegerConverter, PublicAddress


def create_app(config_class: type = Config) -> Flask:
    """Create and configure the Trainer application."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_object(config_class)
    app.url_map.converters["int"] = DatabaseIntegerConverter
    configure_database(app)
    if not app.config.get("SECRET_KEY"):
        check_instance_key_allowed(app.config["SQLALCHEMY_DATABASE_URI"])
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    register_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def configure_database(app: Flask) -> None:
    """Use DATABASE_URL, or SQLite in the instance folder when it is unset."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "trainer.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)


def register_proxy(app: Flask) -> None:
    """Take the client's address, scheme and host from the X-Forwarded-* headers of TRUSTED_PROXIES proxies, and
    the site's own address from PUBLIC_BASE_URL when it is set."""
    count = app.config.get("TRUSTED_PROXIES", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
    if app.config.get("PUBLIC_BASE_URL"):
        # Outside the proxy fix: the configured address wins over any forwarded or client-sent host.
        app.wsgi_app = PublicAddress(app.wsgi_app, app.config["PUBLIC_BASE_URL"])


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to the app."""
    # Every feature's models are imported here so that Alembic sees all tables.
    from trainer.accounts import models as _accounts  # noqa: F401
    from trainer.attendance import models as _attendance  # noqa: F401
    from trainer.campaigns import models as _campaigns  # noqa: F401
    from trainer.certificates import models as _certificates  # noqa: F401
    from trainer.contacts import models as _contacts  # noqa: F401
    from trainer.core.database import enable_sqlite_foreign_keys
    from trainer.core.i18n import register_i18n
    from trainer.extensions import babel, csrf, db, limiter, login_manager, migrate
    from trainer.feedback import models as _feedback  # noqa: F401
    from trainer.jobs import queue as jobs
    from trainer.meetings import models as _meetings  # noqa: F401
    from trainer.messaging import models as _messaging  # noqa: F401
    from trainer.messaging import registry as message_templates
    from trainer.offices import models as _offices  # noqa: F401
    from trainer.partners import models as _partners  # noqa: F401
    from trainer.programmes import models as _programmes  # noqa: F401
    from trainer.questions import models as _questions  # noqa: F401
    from trainer.regions import models as _regions  # noqa: F401
    from trainer.youtube import models as _youtube  # noqa: F401

    db.init_app(app)
    with app.app_context():
        enable_sqlite_foreign_keys(db.engine)
    # The migrations beside the package, wherever `flask db` is run from (an operator's home, say).
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    jobs.init_app(app)
    message_templates.init_app(app)  # a template that does not match its registration stops the app here
    register_i18n(app, babel)
    from trainer.core.security import register_security
    register_security(app)
    from trainer.core.assets import register_assets
    register_assets(app)
    from trainer.accounts.auth import register_login
    register_login(app, login_manager)


def register_blueprints(app: Flask) -> None:
    """Mount each feature's pages: one blueprint per URL prefix, and the JSON API's nested under /api/v1."""
    from trainer.accounts.routes import admin_bp, auth_bp
    from trainer.attendance import api as _attendance_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.attendance import officers, printables  # noqa: F401 (their views join the /attendance/ blueprint)
    from trainer.attendance.access_codes import bp as access_codes_bp
    from trainer.attendance.blueprint import bp as attendance_bp
    from trainer.attendance.routes import bp as attend_bp
    from trainer.campaigns import api as _campaigns_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.campaigns import dashboard_routes as _campaign_dashboard  # noqa: F401 (joins /campaigns)
    from trainer.campaigns import value_routes as _campaign_values  # noqa: F401 (joins /campaigns)
    from trainer.campaigns.routes import bp as campaigns_bp
    from trainer.certificates import api as _certificates_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.certificates import tasks as _certificates_tasks  # noqa: F401 (declares the queue's tasks)
    from trainer.certificates.codes import bp as certificate_codes_bp
    from trainer.certificates.routes import bp as certificates_bp
    from trainer.contacts import api as _contacts_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.contacts.routes import bp as contacts_bp
    from trainer.core.api import api_bp
    from trainer.core.errors import register_error_handlers
    from trainer.feedback.routes import bp as feedback_bp
    from trainer.home.routes import bp as home_bp
    from trainer.meetings import api as _meetings_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.meetings import directive_api as _directives_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.meetings import tasks as _meetings_tasks  # noqa: F401 (declares the queue's tasks)
    from trainer.meetings.directive_routes import bp as directives_bp
    from trainer.meetings.routes import bp as meetings_bp
    from trainer.messaging import api as _messaging_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.messaging import tasks as _messaging_tasks  # noqa: F401 (declares the queue's tasks)
    from trainer.messaging.hooks import bp as hooks_bp
    from trainer.messaging.routes import bp as messages_bp
    from trainer.offices import api as _offices_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.offices.routes import bp as offices_bp
    from trainer.partners import api as _partners_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.partners import calls_api as _calls_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.partners import intake_routes as _intake  # noqa: F401 (joins /partners/calls)
    from trainer.partners import invitation_routes as _invitations  # noqa: F401 (joins /partners/programmes)
    from trainer.partners import partner_checklist_routes as _partner_checklist  # noqa: F401 (joins /partners/programmes)
    from trainer.partners import partner_report_routes as _partner_report  # noqa: F401 (joins /partners/programmes)
    from trainer.partners import plans_api as _plans_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.partners import reviews_api as _reviews_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.partners.apply_routes import bp as apply_bp
    from trainer.partners.attend_routes import bp as attend_organisation_bp
    from trainer.partners.call_routes import bp as calls_bp
    from trainer.partners.master_routes import bp as masters_bp
    from trainer.partners.partner_plan_routes import bp as own_plan_bp
    from trainer.partners.plan_routes import bp as partner_plans_bp
    from trainer.partners.programme_routes import bp as programme_partners_bp
    from trainer.partners.review_routes import bp as reviews_bp
    from trainer.partners.routes import bp as partners_bp
    from trainer.programmes.public import bp as public_bp
    from trainer.programmes.routes import bp as plan_bp
    from trainer.questions import api as _questions_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.questions.routes import bp as questions_bp
    from trainer.regions.routes import bp as regions_bp
    from trainer.reports import api as _reports_api  # noqa: F401 (nests its blueprint in /api/v1)
    from trainer.reports import downloads, routes  # noqa: F401 (their views join the /reports/ blueprint)
    from trainer.reports.blueprint import bp as reports_bp
    from trainer.youtube.routes import bp as youtube_bp

    for blueprint in (home_bp, auth_bp, admin_bp, regions_bp, plan_bp, public_bp, youtube_bp, attend_bp,
                      attendance_bp, access_codes_bp, reports_bp, feedback_bp, contacts_bp, questions_bp, messages_bp,
                      certificates_bp, certificate_codes_bp, partners_bp, calls_bp, reviews_bp, apply_bp,
                      partner_plans_bp, own_plan_bp, masters_bp, programme_partners_bp,
                      attend_organisation_bp, hooks_bp, campaigns_bp, offices_bp, directives_bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(meetings_bp)
    register_error_handlers(app)
    from trainer.meetings import for_campaigns

    for_campaigns.register()  # campaigns list their review meetings and count their directives through them


def register_commands(app: Flask) -> None:
    """Add the `flask regions`, `flask users`, `flask youtube`, `flask jobs`, `flask attendance`,
    `flask access-codes`, `flask contacts`, `flask certificates`, `flask partners`, `flask campaigns`, `flask demo`,
    `flask export` and `flask import` commands."""
    from trainer.accounts.cli import users_cli
    from trainer.attendance.cli import attendance_cli
    from trainer.attendance.codes_cli import access_codes_cli
    from trainer.campaigns.cli import campaigns_cli
    from trainer.certificates.cli import certificates_cli
    from trainer.contacts.cli import contacts_cli
    from trainer.jobs.cli import jobs_cli
    from trainer.meetings.cli import meetings_cli
    from trainer.meetings.directive_cli import directives_cli
    from trainer.messaging.cli import messages_cli
    from trainer.offices.cli import offices_cli
    from trainer.partners.cli import partners_cli
    from trainer.regions.cli import regions_cli
    from trainer.tools.archive import export_command, import_command
    from trainer.tools.demo import demo_command
    from trainer.tools.provider_sandbox import sandbox_command
    from trainer.youtube.cli import youtube_cli

    app.cli.add_command(regions_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(youtube_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(messages_cli)
    app.cli.add_command(attendance_cli)
    app.cli.add_command(access_codes_cli)
    app.cli.add_command(contacts_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(partners_cli)
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(meetings_cli)
    app.cli.add_command(offices_cli)
    app.cli.add_command(directives_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(sandbox_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)

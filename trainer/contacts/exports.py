"""The contacts of an area as a table for CSV and XLSX: numbers and addresses masked, as in every file."""
from flask_babel import gettext as _

from trainer.contacts.models import ContactRole
from trainer.contacts.services import ContactFilter, contact_rows
from trainer.core.i18n import pick
from trainer.core.tables import Table
from trainer.regions.areas import Area


def contacts_tables(area: Area, chosen: ContactFilter | None = None) -> list[Table]:
    """Return the GP contacts of an area as one table, by district, block, GP and role."""
    table = Table(_("Contacts"), [
        _("District"), _("Block code"), _("Block"), _("GP code"), _("Gram panchayat"), _("Role"), _("Name"),
        _("Mobile number"), _("E-mail"), _("Language"), _("Channels"), _("Opted out")])
    for row in contact_rows(area, chosen):
        table.rows.append([
            pick(row.district_hi, row.district_en), row.block_code, pick(row.block_hi, row.block_en), row.gp_code,
            pick(row.gp_hi, row.gp_en), str(ContactRole(row.role).label), row.name, row.mobile_masked,
            row.email_masked, row.language, ";".join(row.channels), _("yes") if row.opted_out else ""])
    return [table]

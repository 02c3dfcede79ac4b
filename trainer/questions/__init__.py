"""Live questions from the panchayats to a session's experts: asked, supported, moderated, answered.

`models`: questions (pending → visible → answering → answered, or set aside as a duplicate merged into another,
off topic or abusive), their supports (one per GP, held by the database), every change (events) and the
moderators a trainer adds to a session. `services`: who may ask, support and moderate, the moderators' actions,
the lists the pages show and similar questions (word and trigram overlap). `routes` (/questions/): the GPs' page
(the GP is the one this phone marked for, trainer.attendance.device), the moderators' queue and a question's page,
the stream overlay, the moderators; Jinja globals for the public FAQ and the secretary's links. `api`:
/api/v1/sessions/<id>/questions. The session report's figures are trainer.reports.queries'.
"""

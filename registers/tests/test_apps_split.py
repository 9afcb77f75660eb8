"""Issue 18.7 moved meetings, refusing environments and time accounting out of registers without
moving a row: the models keep their tables, and registers keeps none."""

from django.apps import apps

MOVED = {
    "meetings.TeamMeeting": "registers_teammeeting",
    "meetings.Inspection": "registers_inspection",
    "refusals.RefusalMonitoring": "registers_refusalmonitoring",
    "refusals.MonitoringDate": "registers_monitoringdate",
    "timesheets.TimeEntry": "registers_timeentry",
}


def test_the_moved_models_and_their_histories_keep_their_tables():
    for label, table in MOVED.items():
        model = apps.get_model(label)
        assert model._meta.db_table == table, label
        history = model.history.model
        assert history._meta.db_table == table.replace("registers_", "registers_historical"), label


def test_registers_has_no_table_of_its_own():
    assert list(apps.get_app_config("registers").get_models()) == []

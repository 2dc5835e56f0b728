import datetime as dt

from theodoi.domain.entry import entry_problems, normalised_percent

END = dt.date(2026, 3, 31)


def problems(**kw):
    values = {
        "reported_state": "in_progress",
        "progress_percent": 50,
        "completion_date": None,
        "results": "",
        "period_end": END,
    }
    return entry_problems(**{**values, **kw})


def test_a_sound_entry_has_no_problem():
    assert problems() == {}
    assert (
        problems(
            reported_state="completed", progress_percent=100, completion_date=END, results="Xong"
        )
        == {}
    )


def test_completed_needs_a_date_within_the_period_and_results():
    found = problems(reported_state="completed", progress_percent=None)
    assert set(found) == {"completion_date", "results"}
    late = problems(
        reported_state="completed",
        progress_percent=None,
        completion_date=END + dt.timedelta(1),
        results="x",
    )
    assert "sau ngày cuối kỳ 31/03/2026" in late["completion_date"][0]


def test_unfinished_work_has_no_completion_date_and_not_started_is_zero():
    assert "completion_date" in problems(completion_date=END)
    assert "progress_percent" in problems(reported_state="not_started", progress_percent=10)
    assert "progress_percent" in problems(progress_percent=None)
    assert "progress_percent" in problems(progress_percent=140)
    assert "reported_state" in problems(reported_state="finished")


def test_percent_follows_the_state():
    assert normalised_percent("completed", 30) == 100
    assert normalised_percent("not_started", None) == 0
    assert normalised_percent("in_progress", 40) == 40


def test_a_completed_task_with_another_percentage_is_refused_not_changed():
    found = problems(
        reported_state="completed", progress_percent=60, completion_date=END, results="x"
    )
    assert "không phải 60%" in found["progress_percent"][0]
    assert (
        problems(reported_state="completed", progress_percent=100, completion_date=END, results="x")
        == {}
    )
    assert (
        problems(
            reported_state="completed", progress_percent=None, completion_date=END, results="x"
        )
        == {}
    )


def test_a_completion_date_before_the_task_was_assigned_is_refused():
    assigned = dt.date(2025, 10, 22)
    found = problems(
        reported_state="completed",
        progress_percent=None,
        completion_date=dt.date(2019, 1, 1),
        results="x",
        assigned_on=assigned,
    )
    assert "01/01/2019 trước ngày nhiệm vụ được giao (22/10/2025" in found["completion_date"][0]
    on_the_day = problems(
        reported_state="completed",
        progress_percent=None,
        completion_date=assigned,
        results="x",
        assigned_on=assigned,
    )
    assert on_the_day == {}

"""The question box: a question in Vietnamese answered in place (HTMX) with its number, rows,
how it was computed and its sources. A follow-up ("so với quý trước thì sao?") continues the
questions asked before in this session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from theodoi.ask.answers import answer, context_of
from theodoi.ask.vocabulary import vocabulary_for
from theodoi.web.views.common import today

# the questions of a conversation kept in the session, for follow-ups
KEPT = 5


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    """Answer ``?q=``; ``?moi=1`` starts a new conversation."""
    question = request.GET.get("q", "").strip()[:500]
    asked = [] if request.GET.get("moi") else list(request.session.get("ask_history", []))
    result = None
    if question:
        day = today()
        vocabulary = vocabulary_for(user=request.user)
        previous = context_of(asked, user=request.user, today=day, vocabulary=vocabulary)
        result = answer(
            question, user=request.user, today=day, previous=previous, vocabulary=vocabulary
        )
        if not result.refused:
            asked = [*asked, question][-KEPT:]
        request.session["ask_history"] = asked
    elif request.GET.get("moi"):
        request.session["ask_history"] = []
    template = (
        "web/partials/ask_answer.html" if request.headers.get("HX-Request") else "web/ask.html"
    )
    return render(request, template, {"q": question, "answer": result, "asked": asked})

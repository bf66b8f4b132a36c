"""Terms: paraphrases folded, stop words dropped, the stored column kept in step."""

from suggestions.similar.text import fold, parse_stored, stored_terms, terms
from tests.factories import SuggestionFactory


def test_paraphrases_fold_to_one_spelling_and_give_a_concept_term():
    assert fold("红绿灯坏了") == fold("交通信号灯失灵") == "信号灯损坏"
    assert "#斑马线" in terms("学校门口没有人行横道")
    assert "#斑马线" in terms("学校门口没有斑马线")


def test_stop_bigrams_are_not_terms():
    assert "希望" not in terms("希望尽快解决") and "部门" not in terms("请有关部门处理")


def test_title_terms_weigh_twice():
    bag = parse_stored(stored_terms("路灯不亮", "建设路路灯"))
    assert bag["#路灯"] == 2 and bag["建设"] == 1


def test_saving_a_changed_title_or_content_updates_the_stored_terms(db):
    suggestion = SuggestionFactory(title="路灯不亮", content="建设路")
    assert "#路灯" in suggestion.similar_terms
    suggestion.title = "红绿灯坏了"
    suggestion.save(update_fields=["title"])
    suggestion.refresh_from_db()
    assert "#信号灯" in suggestion.similar_terms and "#路灯" not in suggestion.similar_terms
    suggestion.content = "人行横道"
    suggestion.save()
    suggestion.refresh_from_db()
    assert "#斑马线" in suggestion.similar_terms


def test_a_status_only_save_leaves_the_terms_alone(db):
    suggestion = SuggestionFactory(title="路灯不亮", content="建设路")
    # a stale value would be rewritten by a full save; a status save must not touch it
    type(suggestion).objects.filter(pk=suggestion.pk).update(similar_terms="stale")
    suggestion.refresh_from_db()
    suggestion.status = "accepted"
    suggestion.save(update_fields=["status"])
    suggestion.refresh_from_db()
    assert suggestion.similar_terms == "stale"

"""The labelled set (pairs.json) through the same search the API uses, with its threshold."""

from suggestions.similar import evaluation


def test_the_labelled_set_reaches_hit_at_3_of_085_with_no_unrelated_match(db):
    pairs = evaluation.read()
    assert len(pairs["queries"]) >= 60
    ids, codes = evaluation.load(pairs)
    metrics = evaluation.measure(pairs, ids, codes)
    assert metrics.hit_at_3 >= 0.85, metrics.misses
    assert metrics.unrelated_false == []
    assert metrics.precision >= 0.7


def test_the_set_has_the_named_paraphrases_and_unrelated_queries():
    pairs = evaluation.read()
    text = " ".join(q["title"] + q["content"] for q in pairs["queries"])
    corpus = " ".join(c["title"] + c["content"] for c in pairs["corpus"])
    for a, b in (("信号灯", "红绿灯"), ("人行横道", "斑马线"), ("路灯", "不亮")):
        assert a in text + corpus and b in text + corpus
    assert sum(1 for q in pairs["queries"] if not q["relevant"]) >= 10


def test_the_issue_example_lists_the_open_item_first(db):
    pairs = {
        "corpus": [
            {"key": "light", "area": "A1", "category": "交通", "title": "小区门口红绿灯不亮", "content": "小区门口的红绿灯不亮，过马路危险。"},
            {"key": "dog", "area": "A1", "category": "环境", "title": "小区流浪狗多", "content": "小区里流浪狗很多。"},
            {"key": "heat", "area": "A1", "category": "市政", "title": "小区暖气不热", "content": "小区门口那栋楼暖气不热。"},
        ],
        "queries": [
            {"id": "x", "area": "A1", "category": "", "title": "小区门口的信号灯坏了", "content": "", "relevant": ["light"]},
        ],
    }
    ids, codes = evaluation.load(pairs)
    metrics = evaluation.measure(pairs, ids, codes)
    assert metrics.hits == 1 and metrics.shown == 1  # the unrelated items do not pass the threshold

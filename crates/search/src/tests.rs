use super::*;

fn doc(id: i64, kind: &str, title: &str, body: &str) -> ListingDoc {
    ListingDoc {
        id,
        kind: kind.to_string(),
        title: title.to_string(),
        body: body.to_string(),
        field: String::new(),
        chain: String::new(),
        county_code: String::new(),
        trl: None,
        price_k: None,
        transfer_modes: Vec::new(),
        org_id: 1,
        published_at: 1_700_000_000_000 + id,
    }
}

fn text(text: &str) -> Query {
    Query {
        text: text.to_string(),
        ..Query::default()
    }
}

/// [`text`], asking which of its words each hit holds.
fn text_matching(text: &str) -> Query {
    Query {
        with_matched_terms: true,
        ..self::text(text)
    }
}

fn ids(results: &Results) -> Vec<i64> {
    results.hits.iter().map(|h| h.id).collect()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

/// A small market: six listings with distinct fields, places, readiness, prices and modes.
fn market() -> SearchIndex {
    let index = SearchIndex::in_ram().expect("index");
    let changes = market_listings().into_iter().map(Change::Upsert).collect();
    index.apply(changes, 6).expect("apply");
    index
}

/// The title and snippet a page shows for each hit, marked as the results say, from the
/// listings the index was given (the index keeps no text).
fn shown(results: &Results, listings: &[ListingDoc]) -> Vec<(String, String)> {
    results
        .hits
        .iter()
        .map(|h| {
            let l = listings
                .iter()
                .find(|l| l.id == h.id)
                .expect("a hit is one of the listings");
            (
                results.marks.title_html(&l.title),
                results.marks.snippet_html(&l.body),
            )
        })
        .collect()
}

fn market_listings() -> Vec<ListingDoc> {
    vec![
        ListingDoc {
            field: "rail".into(),
            county_code: "430211".into(),
            trl: Some(7),
            price_k: Some(500),
            transfer_modes: vec!["licence".into(), "transfer".into()],
            ..doc(
                1,
                "achievement",
                "大功率牵引变流器故障诊断技术",
                "本成果面向轨道交通装备，基于IGBT模块温度监测实现牵引变流器的故障预警。",
            )
        },
        ListingDoc {
            field: "materials".into(),
            county_code: "430203".into(),
            trl: Some(4),
            price_k: Some(80),
            transfer_modes: vec!["joint".into()],
            ..doc(
                2,
                "achievement",
                "超细晶硬质合金刀具涂层",
                "硬质合金刀具在航空发动机叶片加工中的寿命提升，涂层厚度可控。",
            )
        },
        ListingDoc {
            field: "rail".into(),
            county_code: "430211".into(),
            trl: Some(6),
            price_k: None,
            transfer_modes: vec!["equity".into()],
            ..doc(
                3,
                "need",
                "寻求车载储能系统合作",
                "我司需要一种适用于城轨车辆的储能方案，并希望与中试基地合作验证。",
            )
        },
        ListingDoc {
            field: "finance".into(),
            county_code: "430202".into(),
            ..doc(
                4,
                "policy",
                "知识价值信用贷款实施办法",
                "科技型中小企业可凭知识产权和研发团队申请知识价值信用贷款，设立风险补偿资金池。",
            )
        },
        ListingDoc {
            field: "power".into(),
            county_code: "430211".into(),
            trl: Some(9),
            price_k: Some(3000),
            transfer_modes: vec!["transfer".into()],
            ..doc(
                5,
                "achievement",
                "碳化硅功率模块封装工艺",
                "碳化硅功率半导体模块的低感封装，可用于新能源汽车电驱动系统和牵引变流器。",
            )
        },
        ListingDoc {
            field: "rail".into(),
            county_code: "430281".into(),
            trl: Some(5),
            price_k: Some(200),
            transfer_modes: vec!["licence".into()],
            ..doc(
                6,
                "service",
                "中试基地开放共享服务",
                "中试基地提供电力电子器件的可靠性试验与检测服务，先用后付。",
            )
        },
    ]
}

#[test]
fn domain_words_stay_whole() {
    for (sentence, word) in [
        ("我公司申请了知识价值信用贷款用于研发", "知识价值信用贷款"),
        ("依托中试基地开展工程化验证", "中试基地"),
        ("新一代牵引变流器实现国产化", "牵引变流器"),
        ("株洲建设了国家级孵化器和众创空间", "孵化器"),
        ("企业可使用科技创新券购买服务", "科技创新券"),
    ] {
        let terms = SearchIndex::terms(sentence);
        assert!(
            terms.iter().any(|t| t == word),
            "{word} is not one token of {sentence}: {terms:?}"
        );
        // The precise cut (what queries use) has it whole too, not in pieces.
        let query = SearchIndex::query_terms(sentence);
        assert!(query.iter().any(|t| t == word), "{query:?}");
    }
}

#[test]
fn inner_dictionary_words_are_indexed_for_recall() {
    let terms = SearchIndex::terms("知识价值信用贷款");
    assert_eq!(terms[0], "知识价值信用贷款");
    for inner in ["知识", "价值", "信用", "贷款", "信用贷款"] {
        assert!(
            terms.iter().any(|t| t == inner),
            "{inner} missing: {terms:?}"
        );
    }
    // A 4-character inner word finds the listing (jieba's own search mode stops at 3).
    let index = market();
    assert_eq!(
        ids(&index.search(&text("信用贷款")).expect("search")),
        vec![4]
    );
}

#[test]
fn tokens_fold_width_and_case_and_drop_punctuation() {
    assert_eq!(SearchIndex::terms("ＩＧＢＴ"), vec!["igbt"]);
    assert_eq!(SearchIndex::terms("IGBT"), vec!["igbt"]);
    assert_eq!(SearchIndex::terms("２０２４"), vec!["2024"]);
    assert!(SearchIndex::terms("，。！？、；：（）……  \t\n🙂").is_empty());
    let terms = SearchIndex::terms("SiC-MOSFET 模块");
    assert!(terms.contains(&"sic".to_string()), "{terms:?}");
    assert!(terms.contains(&"mosfet".to_string()), "{terms:?}");
}

#[test]
fn offsets_point_into_the_original_text() {
    let original = "采用ＩＧＢＴ模块";
    let mut toks = Vec::new();
    tokenizer::analyze(
        &tokenizer::jieba(),
        original,
        tokenizer::Mode::Index,
        &mut toks,
    );
    let igbt = toks.iter().find(|t| t.text == "igbt").expect("igbt token");
    assert_eq!(&original[igbt.from..igbt.to], "ＩＧＢＴ");
    // Full-width query text finds half-width documents and is highlighted where it is.
    let index = market();
    let results = index.search(&text("ＩＧＢＴ")).expect("search");
    assert_eq!(ids(&results), vec![1]);
    assert!(
        shown(&results, &market_listings())[0]
            .1
            .contains("<mark>IGBT</mark>")
    );
}

#[test]
fn filters_each_narrow_the_results() {
    let index = market();
    let all = |q: Query| sorted(ids(&index.search(&q).expect("search")));
    let base = Query::default;

    assert_eq!(all(base()), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(
        all(Query {
            kinds: vec!["achievement".into()],
            ..base()
        }),
        vec![1, 2, 5]
    );
    assert_eq!(
        all(Query {
            kinds: vec!["need".into(), "service".into()],
            ..base()
        }),
        vec![3, 6]
    );
    assert_eq!(
        all(Query {
            field: Some("rail".into()),
            ..base()
        }),
        vec![1, 3, 6]
    );
    assert_eq!(
        all(Query {
            county: Some("430211".into()),
            ..base()
        }),
        vec![1, 3, 5]
    );
    assert_eq!(
        all(Query {
            trl_min: Some(6),
            ..base()
        }),
        vec![1, 3, 5]
    );
    assert_eq!(
        all(Query {
            trl_min: Some(5),
            trl_max: Some(7),
            ..base()
        }),
        vec![1, 3, 6]
    );
    assert_eq!(
        all(Query {
            trl_min: Some(8),
            trl_max: Some(3),
            ..base()
        }),
        Vec::<i64>::new()
    );
    assert_eq!(
        all(Query {
            price_min_k: Some(100),
            price_max_k: Some(1000),
            ..base()
        }),
        vec![1, 6]
    );
    assert_eq!(
        all(Query {
            price_max_k: Some(100),
            ..base()
        }),
        vec![2]
    );
    assert_eq!(
        all(Query {
            transfer_mode: Some("licence".into()),
            ..base()
        }),
        vec![1, 6]
    );
    assert_eq!(
        all(Query {
            published_from: Some(1_700_000_000_000 + 3),
            published_to: Some(1_700_000_000_000 + 5),
            ..base()
        }),
        vec![3, 4]
    );
    assert_eq!(
        all(Query {
            exclude_ids: vec![1, 2, 3],
            ..base()
        }),
        vec![4, 5, 6]
    );
    // Filters combine with text and with each other.
    assert_eq!(
        all(Query {
            field: Some("rail".into()),
            ..text("牵引变流器")
        }),
        vec![1]
    );
    assert_eq!(
        all(Query {
            kinds: vec!["achievement".into()],
            trl_min: Some(8),
            ..text("牵引变流器")
        }),
        vec![5]
    );
    // Unknown values match nothing; empty strings are no filter.
    assert!(
        all(Query {
            kinds: vec!["bogus".into()],
            ..base()
        })
        .is_empty()
    );
    assert_eq!(
        all(Query {
            field: Some(String::new()),
            ..base()
        })
        .len(),
        6
    );
}

#[test]
fn empty_text_lists_newest_first_with_total_and_pages() {
    let index = market();
    let results = index.search(&Query::default()).expect("search");
    assert_eq!(results.total, 6);
    assert_eq!(ids(&results), vec![6, 5, 4, 3, 2, 1]);
    let page = index
        .search(&Query {
            offset: 2,
            limit: 2,
            ..Query::default()
        })
        .expect("search");
    assert_eq!((page.total, ids(&page)), (6, vec![4, 3]));
    let count_only = index
        .search(&Query {
            limit: 0,
            ..text("牵引变流器")
        })
        .expect("search");
    assert_eq!((count_only.total, count_only.hits.len()), (2, 0));
    let far = index
        .search(&Query {
            offset: usize::MAX,
            limit: usize::MAX,
            ..Query::default()
        })
        .expect("search");
    assert_eq!((far.total, far.hits.len()), (6, 0));
}

#[test]
fn title_match_ranks_first() {
    let index = market();
    // Listing 5 mentions 牵引变流器 in its body; listing 1 is about it.
    let results = index.search(&text("牵引变流器")).expect("search");
    assert_eq!(ids(&results), vec![1, 5]);
    assert!(results.hits[0].score > results.hits[1].score);
    let results = index.search(&text("中试基地")).expect("search");
    assert_eq!(ids(&results), vec![6, 3]);
}

#[test]
fn and_first_then_relaxed() {
    let index = market();
    // The listing with both words first, then those with one.
    let results = index.search(&text("碳化硅 牵引变流器")).expect("search");
    assert_eq!(ids(&results), vec![5, 1]);
    assert_eq!(results.total, 2);
    // Unless the page is full with listings having both.
    let first = index
        .search(&Query {
            limit: 1,
            ..text("碳化硅 牵引变流器")
        })
        .expect("search");
    assert_eq!((first.total, ids(&first)), (1, vec![5]));
    // No listing has all three: those with two of them, then one.
    let results = index
        .search(&text("碳化硅 牵引变流器 氢燃料"))
        .expect("search");
    assert_eq!(ids(&results), vec![5, 1]);
    // No listing has both: those with either, the one about it first.
    let results = index
        .search(&text_matching("牵引变流器 氢燃料"))
        .expect("search");
    assert_eq!(ids(&results), vec![1, 5]);
    assert_eq!(results.hits[1].matched_terms, vec!["牵引变流器"]);
    // Unasked, the hits do not say.
    let unasked = index.search(&text("牵引变流器 氢燃料")).expect("search");
    assert_eq!(ids(&unasked), vec![1, 5]);
    assert!(unasked.hits.iter().all(|h| h.matched_terms.is_empty()));
    // A word a listing does not hold whole is found through its parts, after those holding it.
    let other = SearchIndex::in_ram().expect("index");
    other
        .apply(
            vec![
                Change::Upsert(doc(1, "need", "动力 电池回收", "")),
                Change::Upsert(doc(2, "need", "动力电池回收", "")),
                Change::Upsert(doc(3, "need", "储能电池回收", "")),
            ],
            1,
        )
        .expect("apply");
    assert!(!SearchIndex::terms("动力 电池回收").contains(&"动力电池".to_string()));
    let results = other.search(&text_matching("动力电池")).expect("search");
    assert_eq!(ids(&results), vec![2, 1]);
    assert_eq!(results.hits[1].matched_terms, vec!["动力电池"]);
    assert_eq!(
        results.marks.title_html("动力 电池回收"),
        "<mark>动力</mark> <mark>电池</mark>回收"
    );
    // Function words are not required.
    assert_eq!(
        ids(&index.search(&text("我们的硬质合金刀具")).expect("search")),
        vec![2]
    );
}

#[test]
fn quoted_phrase_must_be_adjacent() {
    let index = SearchIndex::in_ram().expect("index");
    index
        .apply(
            vec![
                Change::Upsert(doc(1, "need", "储能 电池 回收", "电池回收 网点")),
                Change::Upsert(doc(2, "need", "回收储能设备", "各类电池")),
            ],
            1,
        )
        .expect("apply");
    assert_eq!(
        sorted(ids(&index.search(&text("电池 回收")).expect("search"))),
        vec![1, 2]
    );
    assert_eq!(
        ids(&index.search(&text("\"电池回收\"")).expect("search")),
        vec![1]
    );
    assert_eq!(
        ids(&index.search(&text("“电池 回收”")).expect("search")),
        vec![1]
    );
}

#[test]
fn snippets_are_highlighted_and_escaped() {
    let index = SearchIndex::in_ram().expect("index");
    let body = format!(
        "{}<b>碳化硅</b> & \"外延\" 's <script>alert(1)</script>{}",
        "前言。".repeat(40),
        "结尾。".repeat(40)
    );
    index
        .apply(
            vec![Change::Upsert(doc(
                7,
                "achievement",
                "<i>碳化硅</i>衬底",
                &body,
            ))],
            1,
        )
        .expect("apply");
    let results = index.search(&text_matching("碳化硅")).expect("search");
    let hit = &results.hits[0];
    let title_html = results.marks.title_html("<i>碳化硅</i>衬底");
    let snippet_html = results.marks.snippet_html(&body);
    assert_eq!(title_html, "&lt;i&gt;<mark>碳化硅</mark>&lt;/i&gt;衬底");
    assert!(
        snippet_html
            .contains("&lt;b&gt;<mark>碳化硅</mark>&lt;/b&gt; &amp; &quot;外延&quot; &#39;s"),
        "{snippet_html}"
    );
    assert!(snippet_html.contains("&lt;script&gt;"));
    assert!(snippet_html.starts_with('…') && snippet_html.ends_with('…'));
    assert!(snippet_html.chars().count() < 200);
    assert_eq!(hit.matched_terms, vec!["碳化硅"]);
    assert_only_marks(&title_html);
    assert_only_marks(&snippet_html);
    // Filters alone mark nothing: the title escaped, the body's beginning.
    let newest = index.search(&Query::default()).expect("search");
    assert_eq!(
        newest.marks.title_html("<i>碳化硅</i>衬底"),
        "&lt;i&gt;碳化硅&lt;/i&gt;衬底"
    );
    assert!(newest.marks.snippet_html(&body).starts_with("前言。前言。"));
    assert!(!newest.marks.snippet_html(&body).contains("<mark>"));
}

/// The only markup in `html` is `<mark>` and `</mark>`.
fn assert_only_marks(html: &str) {
    let stripped = html.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !stripped.contains('<') && !stripped.contains('>') && !stripped.contains('"'),
        "unescaped markup in {html}"
    );
}

#[test]
fn hostile_queries_never_fail() {
    let index = market();
    let listings = market_listings();
    let long = "碳化硅牵引变流器".repeat(1250); // 10,000 characters
    let letters = "a".repeat(10_000);
    let hostile = [
        "",
        " ",
        "🙂🚄🔋",
        "牵引变流器🙂",
        "１２３４５６７８９０",
        "ＩＧＢＴ　模块",
        "\"",
        "\"\"",
        "“未闭合的引号",
        "'; DROP TABLE listings; --",
        "<script>alert('x')</script>",
        "<b>牵引变流器</b>",
        "((((",
        "))) AND (",
        "title:x AND (",
        "body:牵引 OR kind:need",
        "*",
        "?~^2",
        "+牵引 -变流器",
        "NOT",
        "\\",
        "\0\u{1}\u{7f}",
        "\u{202e}evil\u{200b}",
        "的的的的",
        "a",
        "IGBT-",
        "-",
        &long,
        &letters,
    ];
    for q in hostile {
        for limit in [0, 10] {
            let query = Query { limit, ..text(q) };
            let results = index
                .search(&query)
                .unwrap_or_else(|e| panic!("{q:.40}: {e}"));
            for (title_html, snippet_html) in shown(&results, &listings) {
                assert_only_marks(&title_html);
                assert_only_marks(&snippet_html);
            }
            let similar = index
                .similar(q, &query)
                .unwrap_or_else(|e| panic!("similar {q:.40}: {e}"));
            for (title_html, snippet_html) in shown(&similar, &listings) {
                assert_only_marks(&title_html);
                assert_only_marks(&snippet_html);
            }
            let _ = index.key_terms(q, 10);
        }
    }
    // The long query still finds what its first words name.
    let results = index.search(&text(&long)).expect("search");
    assert!(ids(&results).contains(&5));
    // Symbols alone look for nothing rather than everything.
    assert_eq!(index.search(&text("🙂")).expect("search").total, 0);
}

#[test]
fn upsert_replaces_and_remove_deletes() {
    let index = market();
    assert_eq!(
        ids(&index.search(&text("硬质合金")).expect("search")),
        vec![2]
    );
    index
        .apply(
            vec![Change::Upsert(doc(
                2,
                "achievement",
                "陶瓷基复合材料",
                "航空发动机热端部件",
            ))],
            7,
        )
        .expect("apply");
    assert!(
        index
            .search(&text("硬质合金"))
            .expect("search")
            .hits
            .is_empty()
    );
    assert_eq!(
        ids(&index.search(&text("陶瓷基复合材料")).expect("search")),
        vec![2]
    );
    assert_eq!(index.num_docs(), 6);
    // Upserting twice in one batch keeps the last; removing an absent id is no error.
    index
        .apply(
            vec![
                Change::Upsert(doc(8, "need", "第一版", "")),
                Change::Upsert(doc(8, "need", "第二版", "")),
                Change::Remove(999),
                Change::Remove(1),
            ],
            9,
        )
        .expect("apply");
    assert!(
        index
            .search(&text("第一版"))
            .expect("search")
            .hits
            .is_empty()
    );
    assert_eq!(
        ids(&index.search(&text("第二版")).expect("search")),
        vec![8]
    );
    assert!(
        index
            .search(&text("故障诊断"))
            .expect("search")
            .hits
            .is_empty()
    );
    assert_eq!(index.num_docs(), 6);
    assert_eq!(index.applied_up_to(), 9);
}

#[test]
fn applied_up_to_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        assert_eq!(index.applied_up_to(), 0);
        index
            .apply(
                vec![Change::Upsert(doc(1, "need", "中试基地", "牵引变流器"))],
                42,
            )
            .expect("apply");
        assert_eq!(index.applied_up_to(), 42);
        // While open, the folder is locked against a second writer.
        assert!(matches!(
            SearchIndex::open_or_create(&path),
            Err(SearchError::Locked(_))
        ));
    }
    let index = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(index.applied_up_to(), 42);
    assert_eq!(
        ids(&index.search(&text("中试基地")).expect("search")),
        vec![1]
    );
    index.apply(Vec::new(), 43).expect("apply");
    drop(index);
    let index = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(index.applied_up_to(), 43);
}

#[test]
fn rebuild_replaces_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open_or_create(dir.path()).expect("create");
    index
        .apply(vec![Change::Upsert(doc(1, "need", "旧的需求", ""))], 5)
        .expect("apply");
    let docs = (10..260).map(|i| {
        doc(
            i,
            "achievement",
            &format!("动力电池回收成果{i}"),
            "梯次利用",
        )
    });
    assert_eq!(index.rebuild(docs, 100).expect("rebuild"), 250);
    assert_eq!(index.applied_up_to(), 100);
    assert_eq!(index.num_docs(), 250);
    assert!(
        index
            .search(&text("旧的需求"))
            .expect("search")
            .hits
            .is_empty()
    );
    assert_eq!(index.search(&text("动力电池")).expect("search").total, 250);
    assert_eq!(index.reader.searcher().segment_readers().len(), 1);
    // The change log applies on top of a rebuild.
    index
        .apply(vec![Change::Remove(10)], 101)
        .expect("apply after rebuild");
    assert_eq!(index.num_docs(), 249);
}

#[test]
fn other_tokenizer_or_damage_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        let mut guard = index.lock_writer();
        let writer = guard.as_mut().expect("writer");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload("fruition-search;tokenizer=v0-0000000000000000;up_to=3");
        prepared.commit().expect("commit");
    }
    let error = SearchIndex::open_or_create(&path)
        .err()
        .expect("incompatible");
    assert!(matches!(error, SearchError::Incompatible(_)), "{error}");
    assert!(error.needs_rebuild());
    let index = SearchIndex::recreate(&path).expect("recreate");
    assert_eq!(index.applied_up_to(), 0);
    drop(index);

    std::fs::write(path.join("meta.json"), b"{ not json").expect("write");
    let error = SearchIndex::open_or_create(&path).err().expect("corrupt");
    assert!(error.needs_rebuild(), "{error:?}");
    SearchIndex::recreate(&path).expect("recreate");

    // A folder with other files is not an index and is not deleted.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("notes.txt"), b"keep").expect("write");
    assert!(SearchIndex::recreate(&other).is_err());
    assert!(other.join("notes.txt").exists());
}

#[test]
fn key_terms_and_similar_share_terms() {
    let index = market();
    let need = "我们需要碳化硅功率模块的封装技术，用于牵引变流器，要求低感封装。";
    let keys = index.key_terms(need, 8);
    assert!(keys.contains(&"碳化硅".to_string()), "{keys:?}");
    assert!(keys.contains(&"牵引变流器".to_string()), "{keys:?}");
    assert!(!keys.iter().any(|k| is_stop_word(k)), "{keys:?}");
    let weighted = index.key_terms_weighted(need, 5);
    assert!(weighted.windows(2).all(|w| w[0].weight >= w[1].weight));

    let results = index.similar(need, &Query::default()).expect("similar");
    assert_eq!(results.hits.first().map(|h| h.id), Some(5));
    let top = &results.hits[0];
    assert!(top.matched_terms.contains(&"碳化硅".to_string()), "{top:?}");
    assert!(top.matched_terms.contains(&"封装".to_string()), "{top:?}");
    assert!(shown(&results, &market_listings())[0].1.contains("<mark>"));
    // Listing 1 shares 牵引变流器 only.
    let one = results.hits.iter().find(|h| h.id == 1).expect("listing 1");
    assert!(one.matched_terms.contains(&"牵引变流器".to_string()));
    assert!(!one.matched_terms.contains(&"碳化硅".to_string()));
    // Filtered like search.
    let needs = index
        .similar(
            need,
            &Query {
                exclude_ids: vec![5],
                kinds: vec!["achievement".into()],
                ..Query::default()
            },
        )
        .expect("similar");
    assert_eq!(ids(&needs), vec![1]);
}

#[test]
fn search_index_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
    let index = std::sync::Arc::new(market());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let index = std::sync::Arc::clone(&index);
            std::thread::spawn(move || index.search(&text("牵引变流器")).map(|r| r.total))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("thread").expect("search"), 2);
    }
}

/// The same listings rank the same whatever their edit history: an edited listing (deleted and
/// added again) and a removed one count nowhere in the statistics, merged or not.
#[test]
fn scores_depend_on_the_live_listings_only() {
    let seventh = || {
        doc(
            7,
            "achievement",
            "牵引电机轴承故障诊断",
            "基于振动信号的牵引电机轴承故障诊断方法。",
        )
    };
    let fresh = market();
    fresh
        .apply(vec![Change::Upsert(seventh())], 7)
        .expect("apply");
    let edited = market();
    // Two listings edited (unchanged): their first copies stay in the first segment, deleted …
    let again = market_listings()
        .into_iter()
        .filter(|d| d.id == 1 || d.id == 5)
        .map(Change::Upsert)
        .collect();
    edited.apply(again, 10).expect("apply");
    // … and a long listing full of the queried words, added beside another and removed again.
    let noise = "牵引变流器碳化硅功率模块封装故障诊断".repeat(40);
    edited
        .apply(
            vec![
                Change::Upsert(seventh()),
                Change::Upsert(doc(50, "achievement", &noise, &noise)),
            ],
            11,
        )
        .expect("apply");
    edited.apply(vec![Change::Remove(50)], 12).expect("apply");
    assert_eq!(fresh.num_docs(), edited.num_docs());

    let scored = |r: Results| -> Vec<(i64, String)> {
        r.hits
            .into_iter()
            .map(|h| (h.id, format!("{:.5}", h.score)))
            .collect()
    };
    for q in ["牵引变流器", "碳化硅 封装", "中试基地 检测服务", "故障诊断"] {
        assert_eq!(
            scored(fresh.search(&text(q)).expect("search")),
            scored(edited.search(&text(q)).expect("search")),
            "{q}"
        );
    }
    let need = "我们需要碳化硅功率模块的封装技术，用于牵引变流器，要求低感封装。";
    assert_eq!(
        scored(fresh.similar(need, &Query::default()).expect("similar")),
        scored(edited.similar(need, &Query::default()).expect("similar")),
    );
    let weights = |i: &SearchIndex| -> Vec<(String, String)> {
        i.key_terms_weighted(need, 8)
            .into_iter()
            .map(|k| (k.term, format!("{:.5}", k.weight)))
            .collect()
    };
    assert_eq!(weights(&fresh), weights(&edited));
}

#[test]
fn marks_fold_width_and_case_and_keep_ascii_words_whole() {
    let marks = Marks {
        weights: HashMap::from([("sic".to_string(), 1.0), ("碳化硅".to_string(), 2.0)]),
    };
    assert_eq!(
        marks.title_html("Basic SiC、ＳｉＣ与碳化硅衬底"),
        "Basic <mark>SiC</mark>、<mark>ＳｉＣ</mark>与<mark>碳化硅</mark>衬底"
    );
    // The snippet is cut around the marks, which it keeps.
    let body = format!("{}碳化硅模块", "前言。".repeat(60));
    let snippet = marks.snippet_html(&body);
    assert!(
        snippet.starts_with('…') && snippet.contains("<mark>碳化硅</mark>"),
        "{snippet}"
    );
}

proptest::proptest! {
    /// Any text and any terms: the marks only wrap the escaped text, never change it or panic.
    #[test]
    fn marks_only_wrap_the_escaped_text(
        text in "\\PC{0,60}",
        terms in proptest::collection::vec("\\PC{1,4}", 0..4),
    ) {
        let marks = Marks {
            weights: terms.iter().map(|t| (t.to_ascii_lowercase(), 1.0)).collect(),
        };
        let mut escaped = String::new();
        highlight::escape_into(&mut escaped, &text);
        let html = marks.title_html(&text);
        proptest::prop_assert_eq!(html.replace("<mark>", "").replace("</mark>", ""), escaped);
        let _ = marks.snippet_html(&text);
    }
}

/// Listings that name the same things differently: full names on one side, abbreviations or
/// formulas on the other (the synonym dictionary, `data/synonyms.tsv`).
fn named_differently() -> SearchIndex {
    let index = SearchIndex::in_ram().expect("index");
    let listings = vec![
        doc(
            1,
            "achievement",
            "SiC MOSFET驱动与保护电路",
            "面向SiC器件的高速驱动电路，具备短路保护与有源钳位功能，可用于IGBT替代场合。",
        ),
        doc(
            2,
            "achievement",
            "高纯Al2O3陶瓷基板制备",
            "以Al2O3粉体为原料流延成型，烧结致密，热导率高，适用于功率模块封装。",
        ),
        doc(
            3,
            "achievement",
            "水稻秸秆还田机械",
            "秸秆粉碎均匀，适应南方双季稻区，作业效率高。",
        ),
    ];
    index
        .apply(listings.into_iter().map(Change::Upsert).collect(), 3)
        .expect("apply");
    index
}

#[test]
fn a_need_finds_an_achievement_that_names_its_subject_differently() {
    let index = named_differently();
    let need = "寻求碳化硅功率器件驱动技术，同时需要氧化铝陶瓷基板，用于绝缘栅双极晶体管模块国产化";
    let results = index.similar(need, &Query::default()).expect("similar");
    let found = ids(&results);
    assert!(found.contains(&1), "{found:?}");
    assert!(found.contains(&2), "{found:?}");
    assert!(!found.contains(&3), "{found:?}");
    let sic = results.hits.iter().find(|h| h.id == 1).expect("listing 1");
    assert!(
        sic.synonyms
            .iter()
            .any(|(term, shown)| term == "碳化硅" && shown == "碳化硅=SiC"),
        "{sic:?}"
    );
    assert!(sic.matched_terms.contains(&"碳化硅".to_string()), "{sic:?}");
    let alumina = results.hits.iter().find(|h| h.id == 2).expect("listing 2");
    assert!(
        alumina.matched_terms.contains(&"氧化铝".to_string()),
        "{alumina:?}"
    );
    // The other name is marked in the listing's text.
    assert!(
        results
            .marks
            .snippet_html("面向SiC器件的高速驱动电路")
            .contains("<mark>SiC</mark>"),
        "{:?}",
        results.marks
    );

    // Without the dictionary the need's words are not the listings' words.
    index.use_synonyms(false);
    let results = index.similar(need, &Query::default()).expect("similar");
    assert!(
        results.hits.iter().all(|h| h.synonyms.is_empty()),
        "{results:?}"
    );
    let alumina = results.hits.iter().find(|h| h.id == 2).expect("listing 2");
    assert!(
        !alumina.matched_terms.contains(&"氧化铝".to_string()),
        "{alumina:?}"
    );
    assert!(
        results
            .hits
            .iter()
            .all(|h| !h.matched_terms.contains(&"碳化硅".to_string())),
        "{results:?}"
    );
}

#[test]
fn a_search_word_is_met_by_another_name_of_the_same_thing() {
    let index = named_differently();
    let results = index.search(&text_matching("碳化硅 驱动")).expect("search");
    assert_eq!(ids(&results), vec![1]);
    assert_eq!(
        results.hits[0].synonyms,
        vec![("碳化硅".to_string(), "碳化硅=SiC".to_string())]
    );
    assert_eq!(
        ids(&index.search(&text("氧化铝")).expect("search")),
        vec![2]
    );
    // An abbreviation finds the full name too, and the other way round.
    assert_eq!(ids(&index.search(&text("sic")).expect("search")), vec![1]);
    index.use_synonyms(false);
    assert!(
        index
            .search(&text("氧化铝"))
            .expect("search")
            .hits
            .is_empty()
    );
}

/// `similar` with no filter, as many hits as a page holds.
fn similar_all(index: &SearchIndex, need: &str) -> Results {
    index
        .similar(
            need,
            &Query {
                limit: MAX_LIMIT,
                ..Query::default()
            },
        )
        .expect("similar")
}

/// `similar` checks its filters only for the documents that could enter the top k: it must
/// return exactly the top k of the filtered matches, over several segments with deleted copies,
/// whatever the filters, the page and the text.
#[test]
fn similar_is_the_top_of_the_filtered_matches() {
    const WORDS: &[&str] = &[
        "碳化硅",
        "功率模块",
        "封装",
        "牵引",
        "变流器",
        "轴承",
        "故障诊断",
        "振动",
        "涂料",
        "防腐",
        "锂电池",
        "回收",
        "传感器",
        "检测",
        "中试",
        "工艺",
        "热管理",
        "电机",
        "氢能",
        "陶瓷",
        "釉料",
        "视觉",
        "识别",
        "算法",
    ];
    const KINDS: &[&str] = &["achievement", "need", "expert", "service", "capital"];
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) % n as u64) as usize
    };
    let index = SearchIndex::in_ram().expect("index");
    let mut kind: HashMap<i64, &str> = HashMap::new();
    let mut up_to = 0;
    // Five batches (five segments); later batches edit earlier listings (deleted copies).
    for batch in 0..5 {
        let mut changes = Vec::new();
        for i in 0..18 {
            let id = if batch > 0 && i % 4 == 0 {
                1 + next(18 * batch) as i64
            } else {
                (batch * 18 + i + 1) as i64
            };
            let words: Vec<&str> = (0..3 + next(12))
                .map(|_| WORDS[next(WORDS.len())])
                .collect();
            let k = KINDS[next(KINDS.len())];
            kind.insert(id, k);
            changes.push(Change::Upsert(doc(
                id,
                k,
                &words[..2].concat(),
                &words.join("，"),
            )));
        }
        up_to += 1;
        index.apply(changes, up_to).expect("apply");
    }
    let scored = |r: &Results| -> Vec<(i64, String)> {
        r.hits
            .iter()
            .map(|h| (h.id, format!("{:.5}", h.score)))
            .collect()
    };
    for round in 0..40 {
        let need: String = (0..2 + next(10))
            .map(|_| WORDS[next(WORDS.len())])
            .collect::<Vec<_>>()
            .join("和");
        // Every match, unfiltered (a page as large as the index).
        let everything = similar_all(&index, &need);
        let kinds: Vec<String> = match round % 3 {
            0 => Vec::new(),
            1 => vec!["achievement".into()],
            _ => vec!["achievement".into(), "expert".into(), "service".into()],
        };
        let exclude: Vec<i64> = everything
            .hits
            .iter()
            .map(|h| h.id)
            .filter(|_| next(3) == 0)
            .take(5)
            .collect();
        let (offset, limit) = (next(3) * 3, 1 + next(20));
        let q = Query {
            kinds: kinds.clone(),
            exclude_ids: exclude.clone(),
            offset,
            limit,
            ..Query::default()
        };
        let filtered = index.similar(&need, &q).expect("similar");

        let kind_of = |id: i64| kinds.contains(&kind[&id].to_string());
        let expected: Vec<(i64, String)> = scored(&everything)
            .into_iter()
            .filter(|(id, _)| !exclude.contains(id) && (kinds.is_empty() || kind_of(*id)))
            .skip(offset)
            .take(limit)
            .collect();
        assert!(round > 0 || !expected.is_empty(), "the test needs matches");
        assert_eq!(
            scored(&filtered),
            expected,
            "{need} {kinds:?} {offset}+{limit}"
        );
    }
}

/// The bound on a suggestion's work: past the strongest `MIN_RETRIEVAL_TERMS` key terms, a term
/// finds candidates only while the postings read stay within the bound. A listing that holds
/// only the need's weakest, commonest term is found without the bound and not with it; the
/// strongest terms find theirs either way, and a hit still shares all the key terms it holds.
#[test]
fn a_suggestions_work_is_bounded() {
    let strong: Vec<String> = (0..12).map(|i| format!("rare{i:02}")).collect();
    let index = SearchIndex::in_ram().expect("index");
    let mut changes = Vec::new();
    // Each strong term in one listing of its own; the common term in 20 listings.
    for (i, t) in strong.iter().enumerate() {
        changes.push(Change::Upsert(doc(i as i64 + 1, "achievement", t, t)));
    }
    for i in 0..20 {
        changes.push(Change::Upsert(doc(
            100 + i,
            "achievement",
            "common",
            "common",
        )));
    }
    index.apply(changes, 1).expect("apply");
    // The strong terms twice each (stronger), the common one once.
    let need = format!("{} {} common", strong.join(" "), strong.join(" "));
    let found = |bound: u64| -> Vec<i64> {
        index.set_retrieval_postings(bound);
        sorted(ids(&similar_all(&index, &need)))
    };
    let unbounded = found(u64::MAX);
    assert!(
        unbounded.contains(&100) && unbounded.contains(&1),
        "{unbounded:?}"
    );
    let bounded = found(0);
    assert_eq!(bounded, (1..=12).collect::<Vec<i64>>());
    index.set_retrieval_postings(RETRIEVAL_POSTINGS);
}

"""Planning: posts, weekly cadence, templates, auto-drafting and the anti-spam rules. No Qt.

API overview (for the Planner page and the composer). Session functions take an open
``Session`` (wrap them in ``core.uow.read``/``write`` on the DB executor); times are
timezone-aware UTC datetimes; ``zone`` is the shop's zone from ``settings.shop_zone``;
``media_root`` is ``AppPaths.media``.

posts (``core.planning.posts``)
    ``PostDraft(kind, text, account_ids, image_media_ids, product_ids, audience_mode,
    audience_tag_ids, scheduled_at, author_id, slot_id)`` — what the composer edits.
    ``create_post(session, draft, *, by_person=True) -> int``
    ``update_post(session, post_id, draft, *, by_person=True)`` (sets ``edited_by_person``)
    ``delete_post(session, post_id)`` (refused for posted posts)
    ``get_post(session, post_id, media_root, zone) -> PostView``
    ``list_posts(session, start, end, media_root, zone, account_id=None) -> list[PostView]``
    ``list_unscheduled(session, media_root) -> list[PostView]``
    ``schedule_post(session, post_id, media_root, zone, *, user_id=None) -> ScheduleOutcome``
        the single way into scheduled (or awaiting_approval when ``core.approval`` says so);
        raises ``RuleRefusal`` (``.violations``) on hard rules.
    ``unschedule_post(session, post_id)`` back to draft
    ``move_post(session, post_id, at, media_root, zone, *, slot_id=None) -> list[RuleViolation]``
        raises ``RuleRefusal`` on hard time rules (drag in the planner).
    ``check_post_at(session, post_id, at, media_root, zone, *, committed_only=True)``
        live warnings while dragging, without saving.
    (coming due, posted and skipped are ``core.reminders`` and ``core.publishing``)
    ``week_mix(session, account_id, now, zone, media_root) -> MixGauge`` (sales, non_sales,
    sales_pct, target_sales_pct, over_target)
    ``add_free_pictures(session, files, media_root) -> (media_ids, rejections)``
    ``product_picture_ids(session, product_ids, limit=9) -> list[int]``
    ``PostView``: id, kind, status, text, scheduled_at, accounts (``AccountRef`` with
    display_name/avatar_path), images (``PostImageView``: media_id, path, exists, width,
    height), products, audience_mode, audience_tags, slot_id, slot_label, auto_drafted,
    edited_by_person, author_name, warnings (``RuleViolation``), text_warnings
    (``TextWarning``: reason, phrase, start, end); properties account_nickname,
    image_paths, is_sales, has_hard_warning; ``local_time(zone)``, ``to_draft()``.

cadence (``core.planning.cadence``)
    ``SlotSpec(account_id, weekday (0=Mon, None=daily), time_of_day, kind, label, category,
    tag_id, template, active)``; ``list_slots(session, account_id=None) -> list[SlotView]``;
    ``check_slot(session, slot_id, spec) -> list[SlotProblem]`` (live);
    ``save_slot(session, slot_id, spec) -> int`` (``CadenceError.problems``);
    ``delete_slot(session, slot_id)``;
    ``slot_occurrences(spec, start, end, zone)``, ``occurrences(slots, start, end, zone)``,
    ``list_occurrences(session, start, end, zone, account_id=None) -> list[Occurrence]``.

auto-drafting (``core.planning.autodraft``)
    ``plan_weeks(session, weeks, now, *, account_id=None, zone=None) -> PlanOutcome``
    (created ids, kept, empty occurrences with a reason, replaced: untouched auto-drafts of
    products that sold out, drafted again); ``propose_drafts(...)`` pure.

templates (``core.planning.templates``)
    ``PLACEHOLDERS`` (name, price, selling_points, code, category, link, tags, stock, shop,
    weekday, date, list, sizes, colours) and their Chinese names ``ZH_PLACEHOLDERS``
    ({商品名}, {价格}, {卖点}, {尺码}, {颜色} …; the one registry of placeholders) with
    ``EXAMPLES``; ``render_template(template, TemplateContext) -> str``;
    ``validate_template`` (``TemplateError`` with ``params['placeholder']``);
    ``wording.forbidden_text(text) -> list[TextWarning]`` (``TextWarning.hard``);
    ``copy_bank``: the built-in rotating copy per kind (上新 once, then 返场; ``---``
    separates a slot template's variants); ``captions``: no caption twice in 14 days;
    ``follow``: drafts follow their products (``follow_products``, ``refresh_from_products``);
    ``render_for_products(session, template, product_ids, account_id=None, day=None)``
    (the composer's "apply template" with stored products).

rules (``core.planning.rules``, pure)
    ``RuleSettings`` (per account, ``settings.load_rule_settings``/``save_rule_settings``);
    ``PlanItem``; ``check_plan(items, settings_by_account, zone) -> list[RuleViolation]``;
    ``RuleViolation(rule: RuleCode, severity: Severity, post_ids, account_id, params)``
    (its sentences: ``messages.violation_message(v)``); ``mix_gauge``; ``visual_lines``;
    ``split_at_fold(text, fold_chars) -> (shown, hidden)`` for the preview's 全文 fold;
    ``MAX_IMAGES``, ``FOLD_LINES``.
    Rule codes (params in ``RuleCode``'s docstring): max_per_day, min_gap, quiet_hours,
    sales_per_week, too_many_images, missing_image, no_account, no_time, empty_post,
    forbidden_text (hard; soft once the seller overrode it with an audited reason:
    ``schedule_post(..., wording_override=reason)``); sales_mix, product_cooldown,
    text_folded, invited_likes, near_duplicate (≥ 80 % alike within 14 days) (soft).

messages (``core.planning.messages``, ``core.planning.labels``: marked for Qt Linguist)
    ``violation_message(v) -> (message, advice)``; ``error_message(code, params)`` for
    ``PlanningError``/``SlotProblem`` (None for an unknown code); ``labels.empty_reason``,
    ``kind_label``, ``status_label``, ``placeholder_help()``. They return ``Msg`` values
    (English strings); ``ui.i18n.tr_msg`` and ``cli.text.render`` translate them.

Errors: everything refused raises ``errors.PlanningError`` (``code``, ``params``, ``field``,
English ``str()``).
"""

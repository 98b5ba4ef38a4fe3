"""Statements the ORM builds and compiles once per process, then runs again with other values.

Building and compiling a queryset costs about 1 ms of CPU; running the statement it makes costs
0.1–0.2. A path run thousands of times a minute with the same few statements (an inspection
submission: the API token, the schedule, the point, the period's record) pays the first part for
nothing. ``Precompiled`` keeps, per database and shape, the SQL the ORM compiled once with stand-in
values (sentinels), and runs it with the real ones::

    SCHEDULE = Precompiled(lambda user, pk: Schedule.objects.visible_to(user).filter(pk=pk))
    schedule = SCHEDULE.get_or_404(by, pk)

The function gets the values and makes the queryset; everything that varies must come in as a value
(an ``int``, ``str``, ``date``, ``datetime``, ``bool`` or ``None``, or the user whose scope the
query takes: ``scoping.stand_in``), never from elsewhere (the clock, a setting), else the first
call's would be frozen in. ``None`` and booleans are part of the shape (``IS NULL`` is another
statement). A user whose scope cannot be precompiled (an inspector's engagements depend on the day)
runs the ORM's queryset every time, as does a shape the ORM finds can match nothing (a user who sees
nothing, a stand-in outside a field's range). A statement whose values the ORM transforms (other
than into a LIKE prefix) is refused on its first run (``PrecompileError``): write it another way.

With ``PRECOMPILED_CHECK`` (on in the tests) every run also builds and compiles the ORM's
queryset with the real values and fails loudly unless the statement and its values are the same:
the whole suite checks each precompiled statement against the ORM.

The rows become model instances the way the ORM's own iterator makes them (``from_db``, the
``select_related`` objects, the annotations)."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ObjectDoesNotExist
from django.db import connections, models, router, transaction
from django.db.models.query import get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError
from django.http import Http404

from anjian.core import scoping


class PrecompileError(Exception):
    """A statement that cannot be precompiled as written (a programming error, raised on its first run)."""


_counter = itertools.count(1)
_SENTINEL_BASE = -(10**15)  # ids are positive: a negative this large is no value of ours
_SENTINEL_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


def _sentinel(value, n: int):
    """A stand-in of ``value``'s type that nothing else in a statement would be."""
    if isinstance(value, dt.datetime):
        return _SENTINEL_TIME + dt.timedelta(seconds=n, microseconds=n)
    if isinstance(value, dt.date):
        return dt.date(1901, 1, 1) + dt.timedelta(days=n)
    if isinstance(value, int):
        return _SENTINEL_BASE - n
    if isinstance(value, str):
        # capitals, a space and LIKE's special characters: a value the ORM escapes or folds shows as changed
        return f"\u2983Pre_%\\ {n}\u2984"
    raise PrecompileError(f"no stand-in for a {type(value).__name__}")


@dataclass(frozen=True)
class _Plan:
    model: type[models.Model]
    sql: str | None
    params: list  # the constants, with the slots' places filled in at each run
    slots: list[tuple[int, int, Callable]]  # (place in params, which value, its adaptation)
    compiler: Any  # the compiler that made it: its select, klass_info and converters
    converters: dict
    init_list: list[str]
    model_fields: tuple[int, int]
    populators: list
    annotations: dict


class Precompiled:
    """A SELECT built by ``build(*values)`` and compiled once per database and shape."""

    def __init__(self, build: Callable[..., models.QuerySet]):
        self.build = build
        self._plans: dict[tuple, _Plan] = {}
        self._lock = threading.Lock()
        self._model: type[models.Model] | None = None
        self._for_update = False

    # --- running -----------------------------------------------------------------------------------
    def all(self, *values) -> list[models.Model]:
        shape, plain, stand_ins = self._shape(values)
        if shape is None:  # not precompilable for these values: the ORM's queryset
            return list(self.build(*values))
        if self._model is None:  # which model, and whether it locks: the same for every value
            queryset = self.build(*values)
            self._model, self._for_update = queryset.model, bool(queryset.query.select_for_update)
        using = router.db_for_write(self._model) if self._for_update else router.db_for_read(self._model)
        connection = connections[using]
        if self._for_update and not connection.in_atomic_block:  # as the ORM refuses it, every time
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        plan = self._plans.get((using, shape)) or self._plan(using, shape, plain, stand_ins)
        if plan.sql is None:  # the ORM found it can match nothing with the stand-ins: ask the ORM
            return list(self.build(*values))
        params = list(plan.params)
        for place, which, adapt in plan.slots:
            params[place] = adapt(plain[which])
        if getattr(settings, "PRECOMPILED_CHECK", False):
            self._check(plan, params, values, using)
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        return [self._instance(plan, row, using) for row in rows]

    def first(self, *values) -> models.Model | None:
        found = self.all(*values)
        return found[0] if found else None

    def get(self, *values) -> models.Model:
        """The one row, else the model's ``DoesNotExist`` (or ``MultipleObjectsReturned``)."""
        found = self.all(*values)
        if len(found) == 1:
            return found[0]
        model = self._model or self.build(*values).model
        if not found:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")

    def get_or_404(self, *values) -> models.Model:
        """``get``, a missing row (or one out of the user's scope) answered like
        ``scoping.get_visible_or_404``."""
        try:
            return self.get(*values)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404(scoping.NOT_FOUND) from exc

    # --- planning ----------------------------------------------------------------------------------
    def _shape(self, values) -> tuple[tuple | None, list, list]:
        """The statement's shape (what makes its SQL differ), the plain values that fill it, and the
        arguments ``build`` gets when planning (sentinels, users' stand-ins)."""
        shape, plain, stand_ins = [], [], []
        for value in values:
            if value is None or isinstance(value, bool):
                shape.append(value)
                stand_ins.append(value)
            elif isinstance(value, int | str | dt.date):
                shape.append(type(value).__name__)
                stand_ins.append(("value", len(plain)))
                plain.append(value)
            else:  # a user: the scope's shape and values
                scope = scoping.stand_in(value)
                if scope is None:
                    return None, [], []
                kind, scope_values, make = scope
                shape.append(("scope", kind))
                stand_ins.append(("user", make, len(plain), len(scope_values)))
                plain.extend(scope_values)
        return tuple(shape), plain, stand_ins

    def _plan(self, using: str, shape: tuple, plain: list, stand_ins: list) -> _Plan:
        sentinels = [_sentinel(v, next(_counter)) for v in plain]
        args = []
        for arg in stand_ins:
            if isinstance(arg, tuple) and arg[0] == "value":
                args.append(sentinels[arg[1]])
            elif isinstance(arg, tuple) and arg[0] == "user":
                _tag, make, start, count = arg
                args.append(make(*sentinels[start : start + count]))
            else:
                args.append(arg)
        queryset = self.build(*args)
        connection = connections[using]
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            plan = _Plan(queryset.model, None, [], [], None, {}, [], (0, 0), [], {})
            self._plans[(using, shape)] = plan
            return plan
        params = list(params)
        slots = []
        for place, param in enumerate(params):
            for which, sentinel in enumerate(sentinels):
                adapt = _adaptation(param, sentinel, connection)
                if adapt is not None:
                    slots.append((place, which, adapt))
                    break
            else:
                if any(_contains(param, s) for s in sentinels):
                    raise PrecompileError(f"a value was transformed in the statement: {param!r}")
        missing = set(range(len(sentinels))) - {which for _p, which, _a in slots}
        if missing:
            raise PrecompileError("a value does not appear in the statement")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        plan = _Plan(
            model=queryset.model,
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select]),
            init_list=[s[0].target.attname for s in select[fields[0] : fields[-1] + 1]],
            model_fields=(fields[0], fields[-1] + 1),
            populators=get_related_populators(klass_info, select, using),
            annotations=dict(compiler.annotation_col_map or {}),
        )
        with self._lock:
            self._plans[(using, shape)] = plan
        return plan

    @staticmethod
    def _instance(plan: _Plan, row, using: str) -> models.Model:
        start, end = plan.model_fields
        obj = plan.model.from_db(using, plan.init_list, row[start:end])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, place in plan.annotations.items():
            setattr(obj, name, row[place])
        return obj

    def _check(self, plan: _Plan, params: list, values, using: str) -> None:
        queryset = self.build(*values)
        sql, expected = queryset.query.get_compiler(using=using).as_sql()
        if sql != plan.sql or list(expected) != params:
            raise AssertionError(
                f"Precompiled statement differs from the ORM's:\n{plan.sql}\n{params}\n!=\n{sql}\n{list(expected)}"
            )


def _adaptation(param, sentinel, connection) -> Callable | None:
    """How the ORM turned ``sentinel`` into ``param`` (as it is, or adapted for the database, or as
    the start of a LIKE pattern), or None when ``param`` is not it."""
    if type(param) is type(sentinel) and param == sentinel:
        return _as_is
    ops = connection.ops
    if isinstance(sentinel, dt.datetime):
        if param == ops.adapt_datetimefield_value(sentinel):
            return ops.adapt_datetimefield_value
    elif isinstance(sentinel, dt.date):
        if param == ops.adapt_datefield_value(sentinel):
            return ops.adapt_datefield_value
    elif isinstance(sentinel, str) and param == f"{ops.prep_for_like_query(sentinel)}%":
        return lambda value: f"{ops.prep_for_like_query(value)}%"
    return None


def _as_is(value):
    return value


def _contains(param, sentinel) -> bool:
    return isinstance(param, str) and str(sentinel) in param


# --- inserts ---------------------------------------------------------------------------------------
_inserts: dict[tuple, str] = {}


def insert(objs: list[models.Model]) -> None:
    """Insert new rows of one model in one statement, as ``bulk_create`` does (no signals, no
    ``save()``), and set their primary keys; the statement's text made once per process and model
    (``bulk_create`` builds and compiles it each time: a third of a 30-item checklist's results'
    CPU). On PostgreSQL a column's values go as one array each (``UNNEST``, as ``bulk_create``
    does there): the same statement for any number of rows, which psycopg keeps parsed and the
    server prepared; on SQLite one ``VALUES`` row each. Each value is prepared by its field, as the
    ORM prepares it; an expression as a value is refused (``bulk_create`` is for those)."""
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    features = connection.features
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.has_default()]
    unnest = (
        len(objs) > 1
        and connection.vendor == "postgresql"
        and all((f.target_field if f.is_relation else f).get_internal_type() in connection.data_types for f in fields)
    )
    if any(type(obj) is not model or not obj._state.adding for obj in objs):
        raise ValueError("precompiled.insert: new rows of one model only")
    for obj in objs:  # an unsaved related object refused, a related id set since taken: as bulk_create
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    if any(obj.pk is not None for obj in objs) and model._meta.pk not in fields:
        model._default_manager.bulk_create(objs)  # ids of their own: the ORM keeps them
        return
    if not unnest and (
        not features.can_return_rows_from_bulk_insert or len(fields) * len(objs) > (features.max_query_params or 10**6)
    ):
        model._default_manager.bulk_create(objs)  # an older SQLite, or too many values: the ORM's batches
        return
    rows = []
    for obj in objs:
        values = [f.pre_save(obj, True) for f in fields]
        if any(_is_expression(value) for value in values):
            raise ValueError("precompiled.insert: an expression as a value")
        rows.append([f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)])
    key = (model, using, None if unnest else len(objs))
    sql = _inserts.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        if unnest:  # varchar[] rather than varchar(4)[]: the field checked the length already
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            values = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608 - our types
        else:
            values = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(objs))
        sql = _inserts[key] = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"{values} RETURNING {quote(model._meta.pk.column)}"
        )
    params = [list(column) for column in zip(*rows, strict=True)] if unnest else [v for row in rows for v in row]
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        pks = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using


def _is_expression(value) -> bool:
    return hasattr(value, "resolve_expression") or hasattr(value, "as_sql")


def save_new(obj: models.Model, *, model_save_checked: bool = False) -> None:
    """``obj.save(force_insert=True)``: the same signals, the related objects' ids taken as
    ``save()`` takes them, then one INSERT whose text is made once per process (``insert``), not
    built and compiled each time. For a model that keeps Django's own ``save()`` (else that
    ``save()`` runs, unless ``model_save_checked``: the caller did what it checks), without parent
    models, with plain values (an expression, a database default: ``save()`` again)."""
    model = type(obj)
    meta = model._meta
    if (
        (model.save is not models.Model.save and not model_save_checked)
        or meta.parents
        or meta.proxy
        or obj.pk is not None
        or not connections[router.db_for_write(model)].features.can_return_columns_from_insert  # SQLite < 3.35
        or any(_is_expression(getattr(obj, f.attname)) for f in meta.concrete_fields)
    ):
        obj.save(force_insert=True)
        return
    obj._prepare_related_fields_for_save(operation_name="save")
    using = router.db_for_write(model, instance=obj)
    pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    with transaction.mark_for_rollback_on_error(using=using):
        insert([obj])
    post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using)


def update(obj: models.Model, *names: str) -> None:
    """Write the fields ``names`` of a saved row, as ``Model.objects.filter(pk=obj.pk).update(…)``
    does (no signals, no ``save()``), by a statement whose text is made once per process, model and
    fields. Each value is prepared by its field, as the ORM prepares it."""
    model = type(obj)
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in names]
    key = (model, using, names)
    sql = _updates.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        sql = _updates[key] = (
            f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "  # noqa: S608 - our names
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
    params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
        if cursor.rowcount != 1:
            raise model.DoesNotExist(f"{model._meta.object_name} {obj.pk} is not there to update")


_updates: dict[tuple, str] = {}

"""Exams: question banks (single/multiple choice, true/false), papers drawn from a bank (the
questions fixed when the paper is made, so every attempt answers the same paper), and attempts
taken on a phone with a time limit, marked automatically against the pass mark."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.training.choices import QuestionKind

USER = settings.AUTH_USER_MODEL


class QuestionBank(models.Model):
    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    title = models.CharField(_("题库名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("题库")
        verbose_name_plural = _("题库")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:bank-detail", args=[self.pk])


class Question(models.Model):
    """``options``: the choices' texts (two for true/false: 正确, 错误); ``answer``: the indexes of
    the right options, sorted (one for single choice and true/false)."""

    scope_field = "bank__organization"

    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("题目"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("答案"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def answer_text(self) -> str:
        letters = "ABCDEFGH"
        if self.kind == QuestionKind.TRUE_FALSE:
            return str(self.options[self.answer[0]]) if self.answer else ""
        return "".join(letters[i] for i in self.answer)


class Paper(models.Model):
    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    bank = models.ForeignKey(QuestionBank, verbose_name=_("题库"), on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(_("试卷名称"), max_length=100)
    questions = models.ManyToManyField(Question, verbose_name=_("试题"), related_name="+")
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("考试时长（分钟）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("及格分（百分制）"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("最多考试次数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # a paper made by mistake is voided (kept, marked; its attempts count nowhere), never deleted
    is_active = models.BooleanField(_("启用"), default=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("试卷")
        verbose_name_plural = _("试卷")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:paper-detail", args=[self.pk])


class Attempt(models.Model):
    """One sitting of a paper by one person: started, due by ``deadline``, submitted and marked."""

    scope_field = "paper__organization"

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(USER, verbose_name=_("考生"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "training.TrainingSession", null=True, blank=True, on_delete=models.PROTECT, related_name="attempts"
    )
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("交卷截止"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    answers = models.JSONField(_("作答"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("合格"), default=False)
    timed_out = models.BooleanField(_("超时"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("考试记录")
        verbose_name_plural = _("考试记录")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.paper} · {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("training:attempt", args=[self.pk])


class CardQuiz(models.Model):
    """A short quiz on a post's cards (两单两卡), so that "说得明" is checked, not only "read":
    the post's staff take the paper; passing it is shown beside their acknowledgement."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    card = models.OneToOneField(
        "risks.PostCard", verbose_name=_("两单两卡"), on_delete=models.PROTECT, related_name="+"
    )
    paper = models.ForeignKey(Paper, verbose_name=_("测验试卷"), on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("两单两卡测验")
        verbose_name_plural = _("两单两卡测验")

    def __str__(self) -> str:
        return f"{self.card} · {self.paper}"

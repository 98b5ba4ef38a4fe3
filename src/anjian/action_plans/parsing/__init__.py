"""Reading task tables (cells, columns, rows, files: a module each): deadlines in words, offices
and units in one cell ("牵头部门：…" and "责任部门：…"
split by their labels), and whole tables, from an xlsx sheet or from the task table of a Word
document (.docx: gridSpan and vMerge read as merged cells), in the layouts of seed 003 (序号 / 主要任务
/ 重点工作任务 / 责任处室 / 责任单位 / 完成时限), of seed 002's attachment 1 (序号 / 工作目标任务 [three
merged columns] / 时间节点 / 责任单位 / 配合单位), of seed 004's attachment 1 (序号 / 任务事项 / 主要内容 /
重点措施 / 牵头部门·责任单位 / 完成时限 / 工作进展 / 成果形式 / 备注, a numbered task over several rows: its
sub-tasks), of our own template and their variants (columns recognised by the meaning of their
header's words; the user may correct the mapping in the preview).

Nothing is lost: every non-empty cell of the table's body ends up in a task or sub-task, or in the
table's ``problems`` with its row and column (a footer, a column not imported, a continuation line
that contradicts its task). Pure functions without the database except ``map_units`` (which reads
the unit groups). Whatever is not understood becomes a *problem* for the user to fix, never a guess.
"""

from anjian.action_plans.parsing.cells import *  # noqa: F403
from anjian.action_plans.parsing.columns import *  # noqa: F403
from anjian.action_plans.parsing.files import *  # noqa: F403
from anjian.action_plans.parsing.rows import *  # noqa: F403

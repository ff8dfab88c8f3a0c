from __future__ import annotations

from pathlib import Path

from mltool.errors import MltoolError
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule


class AnswersFileInvalid(ProjectRule):
    code = "PRJ009"
    name = "answers-file-invalid"
    message = "the answers file .mltool.yml is not valid"
    hint = "restore it with `git checkout -- .mltool.yml`"
    what = (
        "Checks that `.mltool.yml` (the template and answers the project was made from) "
        "reads back: a YAML mapping with the expected schema, template name and version, "
        "and valid answers."
    )
    why = (
        "`mltool sync` re-renders the template from these answers, and the contract rules "
        "find the package through them; a damaged file breaks both."
    )
    example = "`.mltool.yml` whose `author_email` was edited to `jane`."
    use_instead = "The file as `mltool create` wrote it, with valid answers."

    def check(self, project: Path, package: str) -> list[Finding]:
        from mltool.render import record

        try:
            record.read(project)
        except MltoolError as exc:
            return [self.finding(record.RECORD_FILE, exc.message)]
        return []

"""``sync``: bring a project up to date with its template through git's 3-way merge.

The ``TEMPLATE`` branch holds only pristine renderings of the template. A sync renders the new
template version with the project's recorded answers into a temporary folder, commits it on
``TEMPLATE`` and merges ``TEMPLATE`` into a new branch ``mltool-sync/v<version>`` made from the
base branch. Everything happens in git's object store (``git merge-tree``, ``git commit-tree``);
the user's checkout, index and current branch are never touched.
"""

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  api_version:
    description:
      - Which DRS API to speak. V(v3) are the batch APIs (the SDK marks them deprecated); V(v5) is
        C(POST /v5/{project_id}/jobs/action) and the per-type job listing (never C(/v5/.../jobs/batch-stop),
        which ends jobs).
      - V(auto) speaks v3 while it is served and switches to v5 for the rest of the run at the first answer that
        v3 is gone (HTTP 404 C(APIGW.0101), which did nothing); the result says which one the run used.
      - On v5 a full listing is one paged call per job type, and a paused job is recognised by its available
        actions (the v5 status list has no C(PAUSING)). The info module reports no error codes of failed jobs
        on v5 (v5 has no batch detail call).
    type: str
    choices: [auto, v3, v5]
    default: auto
"""

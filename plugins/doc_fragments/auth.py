# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  auth_type:
    description:
      - Which login method to use when more than one is configured.
      - If any authentication option is set on the task, only the task options are used and the environment
        is not consulted for credentials; giving two complete methods there without O(auth_type) is an error.
      - Otherwise the environment is used; when it holds several complete methods, AK/SK wins over a token,
        which wins over a password, unless O(auth_type) (or env E(HW_AUTH_TYPE)) says otherwise.
      - Every authentication field, O(region) and O(project_id) may also come from a JSON file named by
        E(HW_CREDENTIALS_FILE) (keys as the option names), which counts as part of the environment. It keeps
        secrets out of process environments, which job runners record; the AWX credential type uses it.
    type: str
    choices: [aksk, password, token]
  access_key:
    description:
      - Access key ID (AK) for AK/SK request signing (SDK-HMAC-SHA256).
      - Env E(HW_ACCESS_KEY) or E(HUAWEICLOUD_SDK_AK).
    type: str
  secret_key:
    description:
      - Secret access key (SK) that signs requests together with O(access_key). Never logged.
      - Env E(HW_SECRET_KEY) or E(HUAWEICLOUD_SDK_SK).
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials; sent and signed as C(X-Security-Token).
      - Env E(HW_SECURITY_TOKEN) or E(HUAWEICLOUD_SDK_SECURITY_TOKEN).
    type: str
  user_name:
    description:
      - IAM user name for password login. A project-scoped token is requested from IAM once per task
        and renewed once if it expires during the task.
      - Env E(HW_USER_NAME).
    type: str
  password:
    description:
      - Password of O(user_name). Never logged.
      - Env E(HW_PASSWORD).
    type: str
  domain_name:
    description:
      - Account (domain) name that owns O(user_name).
      - Env E(HW_DOMAIN_NAME).
    type: str
  auth_token:
    description:
      - A pre-issued IAM token, sent as C(X-Auth-Token). It is not renewed.
      - Env E(HW_AUTH_TOKEN).
    type: str
  region:
    description:
      - Region ID, for example V(cn-north-4). Selects the default endpoints and the project.
      - Env E(HW_REGION_NAME). Required, as an option or in the environment.
    type: str
  project_id:
    description:
      - Project ID used in API paths.
      - Env E(HW_PROJECT_ID) or E(HUAWEICLOUD_SDK_PROJECT_ID).
      - When not given, password login takes it from the token scope; AK/SK and token login look up the
        project named after O(region) through IAM.
    type: str
"""

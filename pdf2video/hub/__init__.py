"""Many users: JupyterHub's configuration for pdf2video, its spawn rules, and ``pdf2video hub``.

Editors get JupyterLab with the studio; viewers get only the Voilà app; the pdf2video
service (a hub-managed service) owns the store and the media. The hub config in
``voila_apps/jupyterhub_config.py`` is one call into :mod:`pdf2video.hub.hub_config`.
"""

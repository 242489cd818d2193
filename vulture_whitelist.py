"""vulture's whitelist (make lint): names the framework, a template or a string uses,
where vulture cannot see it. Conventions every app shares (Meta options, hooks such as
``ready`` or ``has_permission``, URLconf names) are ignored by name in pyproject.toml
([tool.vulture]); what is left is listed here, one section per reason.

Anything vulture reports that fits no section is dead: remove it rather than list it.
Candidates: ``vulture --make-whitelist`` prints the names it finds unused."""

# --- Settings: read by Django and its libraries through django.conf.settings
# (hrdcase/settings.py; bench/settings.py and the bench's web settings).
_.ROOT_URLCONF  # hrdcase/settings.py
_.WSGI_APPLICATION  # hrdcase/settings.py
_.TEMPLATES  # hrdcase/settings.py
_.FORM_RENDERER  # hrdcase/settings.py
_.DEFAULT_AUTO_FIELD  # hrdcase/settings.py
_.AUTHENTICATION_BACKENDS  # hrdcase/settings.py
_.AUTH_PASSWORD_VALIDATORS  # hrdcase/settings.py
_.LOGIN_URL  # hrdcase/settings.py
_.LOGIN_REDIRECT_URL  # hrdcase/settings.py
_.LOGOUT_REDIRECT_URL  # hrdcase/settings.py
_.OTP_TOTP_ISSUER  # hrdcase/settings.py
_.SESSION_EXPIRE_AT_BROWSER_CLOSE  # hrdcase/settings.py
_.SESSION_COOKIE_HTTPONLY  # hrdcase/settings.py
_.SESSION_COOKIE_SAMESITE  # hrdcase/settings.py
_.CSRF_COOKIE_HTTPONLY  # hrdcase/settings.py
_.SESSION_COOKIE_SECURE  # hrdcase/settings.py
_.CSRF_COOKIE_SECURE  # hrdcase/settings.py
_.LANGUAGE_COOKIE_SECURE  # hrdcase/settings.py
_.LANGUAGE_COOKIE_HTTPONLY  # hrdcase/settings.py
_.LANGUAGE_COOKIE_SAMESITE  # hrdcase/settings.py
_.SECURE_PROXY_SSL_HEADER  # hrdcase/settings.py
_.SECURE_SSL_REDIRECT  # hrdcase/settings.py
_.SECURE_REDIRECT_EXEMPT  # hrdcase/settings.py
_.SECURE_HSTS_SECONDS  # hrdcase/settings.py
_.SECURE_HSTS_INCLUDE_SUBDOMAINS  # hrdcase/settings.py
_.SECURE_HSTS_PRELOAD  # hrdcase/settings.py
_.SECURE_CONTENT_TYPE_NOSNIFF  # hrdcase/settings.py
_.SECURE_REFERRER_POLICY  # hrdcase/settings.py
_.X_FRAME_OPTIONS  # hrdcase/settings.py
_.AXES_FAILURE_LIMIT  # hrdcase/settings.py
_.AXES_COOLOFF_TIME  # hrdcase/settings.py
_.AXES_LOCKOUT_PARAMETERS  # hrdcase/settings.py
_.AXES_USERNAME_CALLABLE  # hrdcase/settings.py
_.AXES_RESET_ON_SUCCESS  # hrdcase/settings.py
_.AXES_LOCKOUT_TEMPLATE  # hrdcase/settings.py
_.AXES_ENABLE_ACCESS_FAILURE_LOG  # hrdcase/settings.py
_.AXES_VERBOSE  # hrdcase/settings.py
_.CONTENT_SECURITY_POLICY  # hrdcase/settings.py
_.REST_FRAMEWORK  # hrdcase/settings.py
_.SPECTACULAR_SETTINGS  # hrdcase/settings.py
_.CELERY_BROKER_TRANSPORT_OPTIONS  # hrdcase/settings.py
_.CELERY_TASK_ACKS_LATE  # hrdcase/settings.py
_.CELERY_TASK_REJECT_ON_WORKER_LOST  # hrdcase/settings.py
_.CELERY_WORKER_PREFETCH_MULTIPLIER  # hrdcase/settings.py
_.CELERY_TASK_IGNORE_RESULT  # hrdcase/settings.py
_.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP  # hrdcase/settings.py
_.CELERY_BEAT_SCHEDULE_FILENAME  # hrdcase/settings.py
_.CELERY_TIMEZONE  # hrdcase/settings.py
_.CELERY_BEAT_SCHEDULE  # hrdcase/settings.py
_.SECRET_KEY  # hrdcase/settings.py
_.FILE_UPLOAD_HANDLERS  # hrdcase/settings.py
_.FILE_UPLOAD_MAX_MEMORY_SIZE  # hrdcase/settings.py
_.DATA_UPLOAD_MAX_MEMORY_SIZE  # hrdcase/settings.py
_.EMAIL_BACKEND  # hrdcase/settings.py
_.EMAIL_HOST  # hrdcase/settings.py
_.EMAIL_PORT  # hrdcase/settings.py
_.EMAIL_HOST_USER  # hrdcase/settings.py
_.EMAIL_HOST_PASSWORD  # hrdcase/settings.py
_.EMAIL_USE_TLS  # hrdcase/settings.py
_.EMAIL_TIMEOUT  # hrdcase/settings.py
_.DEFAULT_FROM_EMAIL  # hrdcase/settings.py
_.LOCALE_PATHS  # hrdcase/settings.py
_.USE_I18N  # hrdcase/settings.py
_.TIME_ZONE  # hrdcase/settings.py
_.USE_TZ  # hrdcase/settings.py
_.FORMAT_MODULE_PATH  # hrdcase/settings.py
_.STATIC_URL  # hrdcase/settings.py
_.STATICFILES_DIRS  # hrdcase/settings.py
_.STATIC_ROOT  # hrdcase/settings.py
_.STORAGES  # hrdcase/settings.py
_.WHITENOISE_USE_FINDERS  # hrdcase/settings.py
_.MEDIA_ROOT  # hrdcase/settings.py
_.LOGGING  # hrdcase/settings.py
_.ALLOWED_HOSTS  # hrdcase/settings.py
_.ANONYMOUS_USER_NAME  # hrdcase/settings.py
_.GUARDIAN_RAISE_403  # hrdcase/settings.py
_.CSRF_TRUSTED_ORIGINS  # hrdcase/settings.py
_.MIDDLEWARE  # hrdcase/settings.py

# --- Named by a dotted path in the settings or a URLconf (middleware, authentication
# backends, upload handlers, the form renderer, pagination, the 404 handler, beat tasks).
_.VerifiedSessionAuthentication  # accounts/authentication.py
_.UserBackend  # accounts/backends.py
_.navigation  # accounts/context_processors.py
_.lockout_username  # accounts/lockout.py
_.TwoFactorMiddleware  # accounts/middleware.py
_.UserLanguageMiddleware  # accounts/middleware.py
_.UserTimeZoneMiddleware  # accounts/middleware.py
_.Pagination  # hrdcase/api_conf.py
_.not_found  # hrdcase/api_conf.py
_.FastFormRenderer  # hrdcase/form_renderer.py
_.FirstViewCache  # bench/cache.py (bench/web_settings_first_view.py)
_.NoStoreMiddleware  # hrdcase/middleware.py
_.PermissionsPolicyMiddleware  # hrdcase/middleware.py
_.NoticesMiddleware  # hrdcase/notices.py
_.BoundedMemoryUploadHandler  # hrdcase/uploads.py
_.application  # hrdcase/wsgi.py
_.medical_needs  # relocation/forms/requests.py
_.accessibility_needs  # relocation/forms/requests.py
_.digital_security_needs  # relocation/forms/requests.py
_.emergency_review_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.emergency_shelter_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.emergency_grant_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.urgent_review_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.urgent_shelter_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.urgent_grant_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.routine_review_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.routine_shelter_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.routine_grant_hours  # relocation/models/settings.py (read as f"{urgency}_{answer}_hours")
_.check_in_hours  # relocation/models/returns.py (the return plan panel shows it)

# --- Hooks and options the framework or a library reads.
_._get_session_auth_hash  # accounts/models.py: Django's session hash hook on the user model
_.VerifiedSessionScheme  # accounts/schema.py: drf-spectacular extension (subclassing registers it)
_.TokenScheme  # accounts/schema.py: drf-spectacular extension (subclassing registers it)
_.authentication_form  # accounts/views.py: LoginView's form class
_.redirect_authenticated_user  # accounts/views.py: LoginView's option
_.autocommit  # bench/__main__.py: psycopg2's connection mode
_.site_header  # hrdcase/urls.py: the admin site's title
_.label_from_instance  # cases/forms/task.py: ModelChoiceField's label of each choice
_.disabled  # cases/forms/task.py: a form field's option (a follow-up's title and date)
_.patch  # accounts/api.py: MeView's PATCH (APIView dispatches by method name)
_.redirect_request  # alerts/channels/http.py: urllib's redirect hook (refuses every redirect)
_._create_connection  # alerts/channels/http.py: http.client's connect hook (the pinned address)

# --- Read by Django's localisation from the modules FORMAT_MODULE_PATH names
# (hrdcase/formats/<language>/formats.py and hrdcase/formats/common.py).
_.DATE_FORMAT  # hrdcase/formats
_.DATETIME_FORMAT  # hrdcase/formats
_.SHORT_DATE_FORMAT  # hrdcase/formats
_.SHORT_DATETIME_FORMAT  # hrdcase/formats
_.TIME_FORMAT  # hrdcase/formats
_.DATE_INPUT_FORMATS  # hrdcase/formats
_.DATETIME_INPUT_FORMATS  # hrdcase/formats
_.TIME_INPUT_FORMATS  # hrdcase/formats

# --- DRF SerializerMethodField: the serializer calls get_<field>.
_.get_two_factor_verified  # accounts/serializers.py
_.get_invitation_pending  # accounts/serializers.py
_.get_access  # cases/serializers/case.py
_.get_risk_level  # cases/serializers/case.py
_.get_threat_types  # cases/serializers/case.py
_.get_summary  # cases/serializers/case.py
_.get_lead_officer  # cases/serializers/case.py
_.get_overdue  # cases/serializers/detention.py
_.get_has_detention  # cases/serializers/incident.py
_.get_assessed_by  # cases/serializers/risk.py
_.get_dimensions  # cases/serializers/risk.py
_.get_outcome  # logbooks/serializers/actions.py
_.get_case  # logbooks/serializers/actions.py
_.get_case_pseudonym  # logbooks/serializers/actions.py
_.get_filename  # logbooks/serializers/attachments.py
_.get_download_url  # logbooks/serializers/attachments.py
_.get_author  # logbooks/serializers/entries.py

# --- Parameters a framework passes (by name or position) that the function does not use.
_.view_args  # accounts/middleware.py
_.view_func  # accounts/middleware.py
_.view_kwargs  # accounts/middleware.py
_.auto_schema  # accounts/schema.py
_.renderer  # cases/forms/case.py
_.app_configs  # hrdcase/checks.py
_.prepared  # hrdcase/fields.py
_.frame  # hrdcase/management/commands/run_embedded.py
_.signum  # hrdcase/management/commands/run_embedded.py
_.encoding  # hrdcase/uploads.py
_.boundary  # hrdcase/uploads.py

# --- Choices: Django builds a field's choices from the class; rows store the value.
_.ATTACKED  # alerts/models.py
_.MISSING  # alerts/models.py
_.RAID  # alerts/models.py
_.TRAVEL_BLOCKED  # alerts/models.py
_.MEDIUM  # alerts/models.py
_.WOMAN  # cases/models/case.py
_.MAN  # cases/models/case.py
_.NON_BINARY  # cases/models/case.py
_.UNDISCLOSED  # cases/models/case.py
_.LOW  # cases/models/case.py
_.RISK_REDUCED  # cases/models/case.py
_.RELOCATED  # cases/models/case.py
_.RELEASED  # cases/models/case.py
_.REFERRED  # cases/models/case.py
_.NO_CONTACT  # cases/models/case.py
_.DEFENDER_REQUEST  # cases/models/case.py
_.DECEASED  # cases/models/case.py
_.PHONE  # cases/models/consent.py
_.WRITTEN  # cases/models/consent.py
_.THROUGH_NGO  # cases/models/consent.py
_.REPRESENTATIVE  # cases/models/consent.py
_.PRISON_VISIT  # cases/models/detention.py
_.THREAT  # cases/models/incident.py
_.PHYSICAL_ATTACK  # cases/models/incident.py
_.JUDICIAL_HARASSMENT  # cases/models/incident.py
_.SURVEILLANCE  # cases/models/incident.py
_.SMEAR_CAMPAIGN  # cases/models/incident.py
_.TRAVEL_BAN  # cases/models/incident.py
_.ASSET_FREEZE  # cases/models/incident.py
_.FAMILY_REPRISAL  # cases/models/incident.py
_.TRANSNATIONAL_REPRESSION  # cases/models/incident.py
_.STATE  # cases/models/incident.py
_.NON_STATE_ARMED_GROUP  # cases/models/incident.py
_.COMPANY  # cases/models/incident.py
_.UNKNOWN  # cases/models/incident.py
_.RARE  # cases/models/risk.py
_.UNLIKELY  # cases/models/risk.py
_.POSSIBLE  # cases/models/risk.py
_.LIKELY  # cases/models/risk.py
_.ALMOST_CERTAIN  # cases/models/risk.py
_.MINIMAL  # cases/models/risk.py
_.MINOR  # cases/models/risk.py
_.MODERATE  # cases/models/risk.py
_.SEVERE  # cases/models/risk.py
_.LIMITED  # cases/models/risk.py
_.PARTIAL  # cases/models/risk.py
_.STRONG  # cases/models/risk.py
_.PHYSICAL  # cases/models/risk.py
_.DIGITAL  # cases/models/risk.py
_.PSYCHOSOCIAL  # cases/models/risk.py
_.SUMMARY  # cases/models/sharing.py
_.RISK  # cases/models/sharing.py
_.INFORMAL_APPROACH  # logbooks/models.py
_.FORMAL_ENQUIRY  # logbooks/models.py
_.OFFICIAL_PROTEST  # logbooks/models.py
_.COMPANY_ENGAGEMENT  # logbooks/models.py
_.MEETING  # logbooks/models.py
_.CALL  # logbooks/models.py
_.VISIT  # logbooks/models.py
_.QUIET_DIPLOMACY  # logbooks/models.py
_.FEEDBACK_TO_CSO  # logbooks/models.py
_.EMERGENCY_SHELTER  # relocation/models/requests.py
_.SHELTER_CITY_STAY  # relocation/models/requests.py
_.HUMANITARIAN_PERMIT  # relocation/models/requests.py
_.SECURITY_TRAINING  # relocation/models/requests.py
_.ROUTINE  # relocation/models/requests.py
_.EMERGENCY  # relocation/models/requests.py
_.SHORT_STAY_MULTIPLE  # relocation/models/visa.py
_.NATIONAL_LONG_STAY  # relocation/models/visa.py
_.HUMANITARIAN  # relocation/models/visa.py
_.PHYSICAL_SECURITY  # relocation/models/grants.py
_.DIGITAL_SECURITY  # relocation/models/grants.py
_.LEGAL_FEES  # relocation/models/grants.py
_.MEDICAL_PSYCHOSOCIAL  # relocation/models/grants.py
_.URGENT_RELOCATION  # relocation/models/grants.py
_.FAMILY_SUPPORT  # relocation/models/grants.py

# --- Read by the templates (templates/): fields, properties and context they display.
_.eligibility_confirmed_at  # templates/relocation/grant_detail.html
_.get_account_status_display  # accounts/models.py
_.confirmed  # accounts/services.py
_.acknowledged_by  # alerts/models.py
_.time_to_acknowledge  # alerts/models.py
_.logged_by  # alerts/models.py
_.last_error  # alerts/models.py
_.last_sweep_ms  # alerts/models.py
_.last_result  # alerts/models.py
_.dimension_fields  # cases/forms/risk.py
_.recorded_by  # cases/models/consent.py
_.done_by  # cases/models/detention.py
_.is_overdue  # cases/models/detention.py
_.capacity_percent  # cases/models/risk.py
_.viewer_organisation  # cases/models/sharing.py
_.status_changed_by  # cases/models/task.py, cases/services/task.py
_.fill  # cases/views/risk.py
_.label_x  # cases/views/risk.py
_.label_y  # cases/views/risk.py
_.plot_left  # cases/views/risk.py
_.plot_right  # cases/views/risk.py
_.plot_bottom  # cases/views/risk.py
_.measures  # dashboards/figures.py
_.date_from  # logbooks/forms/entries.py
_.date_to  # logbooks/forms/entries.py
_.is_unread  # logbooks/serializers/inbox.py
_.over  # relocation/selectors/capacity.py
_.visa_plan  # relocation/forms/requests.py
_.journey_security_plan  # relocation/forms/requests.py
_.family_support_plan  # relocation/forms/requests.py
_.return_strategy  # relocation/forms/requests.py
_.decision_reason  # relocation/hooks.py
_.answer_reason  # relocation/hooks.py
_.reviewer  # relocation/models/requests.py
_.support_labels  # relocation/models/requests.py
_.completed_at  # relocation/selectors/requests.py (Standing: templates/relocation/_standing*.html)
_.referred_at  # relocation/selectors/capacity.py (Waiting: templates/relocation/city_calendar.html)
_.from_status  # relocation/models/requests.py
_.last_used_at  # work/models.py
_.more_url  # work/selectors/home.py
_.more_updates  # work/selectors/home.py
_.category_label  # alerts/models.py (templates/alerts/notification_list.html)
_.accepted_by  # cases/models/sharing.py (templates/cases/_partner_share_panel.html)

# --- Named in a string: serializer and form field lists, update_fields, values(),
# getattr and ORM lookups; write-only columns too (services set them, the row keeps them).
_.password1  # accounts/forms.py
_.password2  # accounts/forms.py
_.date_joined  # accounts/models.py
_.token_hash  # accounts/models.py
_.invited_by  # accounts/models.py
_.two_factor_verified  # accounts/serializers.py
_.invitation_pending  # accounts/serializers.py
_.renotify_at  # alerts/models.py
_.queued_at  # alerts/models.py
_.claimed_at  # alerts/models.py
_.sent_at  # alerts/models.py
_.started_at  # bench/models.py
_.post  # cases/api/break_glass.py
_.confirm  # cases/forms/break_glass.py
_.closing_reason  # cases/forms/case.py
_.ended_by  # cases/models/break_glass.py
_.content_object  # cases/models/case.py
_.revoked_by  # cases/models/consent.py
_.revocation_note  # cases/models/consent.py
_.formula_version  # cases/models/risk.py
_.requester_case  # cases/models/sharing.py
_.holder  # cases/models/sharing.py
_.requested_by  # cases/models/sharing.py
_.answered_by  # cases/models/sharing.py
_.answered_at  # cases/models/sharing.py
_.granted_by  # cases/models/sharing.py
_.type_display  # cases/serializers/incident.py
_.perpetrator_display  # cases/serializers/incident.py
_.overridden  # cases/serializers/risk.py
_.case_reference  # cases/serializers/task.py
_.version_of  # logbooks/models.py
_.supersedes  # logbooks/models.py
_.invited_at  # logbooks/models.py
_.case_pseudonym  # logbooks/serializers/actions.py
_.download_url  # logbooks/serializers/attachments.py
_.frozen_reason  # relocation/models/requests.py
_.status_changed_at  # relocation/models/requests.py (the API's request fields; services write it)
_.referred_by  # relocation/serializers/visa.py, shelter.py
_.mission_name  # relocation/serializers/visa.py
_.city_name  # relocation/serializers/shelter.py
_.grantor_name  # relocation/serializers/grants.py
_.waiting_for_text  # relocation/serializers/requests.py
_.waiting_for  # relocation/serializers/requests.py

# --- Read by migrations (cases/migrations/0002_lookups.py seeds the lookups; alerts'
# 0006 builds its indexes with the project's own operation).
_.AREAS_OF_WORK  # cases/models/case.py
_.THREAT_TYPES  # cases/models/case.py
_.AddIndexWithoutBlockingWrites  # hrdcase/migration_operations.py

# --- Columns a service writes and no code reads back by name: who did what, kept.
_.updated_by  # cases/models/retention.py
_.uploaded_by  # logbooks/models.py

# --- Attributes a service sets on a row before saving it (the column keeps them).
_.updated_by  # cases/services/retention.py

# --- API routes DRF's router finds on a viewset: relocation declares its referral steps with
# relocation.api.referral.referral_step (one line each) rather than @action methods.
_.decide  # relocation/api/visa.py, relocation/api/grants.py
_.withdraw  # relocation/api/visa.py, relocation/api/shelter.py
_.hosting  # relocation/api/shelter.py
_.complete  # relocation/api/shelter.py
_.disburse  # relocation/api/grants.py

# --- Support requests (support/): a choice stored as its value, the API's read-only fields
# (named in Meta.fields), and the columns a service writes that the templates read.
_.VISA_SUPPORT  # support/models.py
_.reported_by  # support/models.py, support/services.py
_.reported_at  # support/models.py, templates/support/detail.html
_.requester_seen_at  # support/models.py, support/selectors.py (an F() by name)
_.receiver_name  # support/serializers.py
_.hearing_date  # support/serializers.py
_.action_status  # support/serializers.py

# --- Alert causes, partners' alerts and acknowledgement links (alerts/, issues 21-22): a
# choice stored as its value, columns a service writes (read by _id or in templates), the
# partner serializer's read-only fields (named in Meta.fields, get_<field>).
_.DETAINED  # alerts/models.py (a manual kind; alerts/causes.py maps its value)
_.raised_by_organisation  # alerts/models.py, alerts/services/alerts.py (set by _id)
_.used_by  # alerts/models.py, alerts/services/links.py
_.used_at  # alerts/models.py (when a link was used, kept)
_.acknowledged_by_organisation  # alerts/serializers/alerts.py
_.resolved  # alerts/serializers/alerts.py
_.get_acknowledged  # alerts/serializers/alerts.py
_.get_resolved  # alerts/serializers/alerts.py

# --- Court proceedings (cases/models/court.py) and trial observations (logbooks/models.py,
# issue 21): choices stored as their value, the API's read-only fields (Meta.fields,
# get_<field>), and the column a service writes that the audit and the admin read.
_.SLAPP_DEFENDANT  # cases/models/court.py
_.WITNESS  # cases/models/court.py
_.PLAINTIFF  # cases/models/court.py
_.ACQUITTED  # cases/models/court.py
_.CONVICTED  # cases/models/court.py
_.DISMISSED  # cases/models/court.py, logbooks/models.py
_.HELD  # logbooks/models.py
_.ADJOURNED  # logbooks/models.py
_.VERDICT_ACQUITTED  # logbooks/models.py
_.VERDICT_CONVICTED  # logbooks/models.py
_.planned_by  # cases/models/court.py (who planned an observer, kept)
_.observer_name  # cases/serializers/court.py
_.get_observer_name  # cases/serializers/court.py
_.observers  # cases/serializers/court.py (the nested observers of a hearing)
_.get_hearing  # logbooks/serializers/actions.py
_.get_entry  # logbooks/serializers/actions.py

# --- Session 8 (issue 23 items 6-7, issue 24): names Django and gunicorn read by convention.
_.old_password  # accounts/forms.py PasswordChangeForm: a form field, read by the view
_.new_password1  # accounts/forms.py: form fields, read through cleaned_data
_.new_password2  # accounts/forms.py
commit  # accounts/forms.py ResetPasswordForm.save(commit=): Django's reset view passes it
_.success_url  # accounts/views.py: Django's password-reset views read it
_.post_reset_login  # accounts/views.py PasswordResetConfirmView
access_log_format  # hrdcase/gunicorn_conf.py: gunicorn reads its settings module's names
post_request  # hrdcase/gunicorn_conf.py: a gunicorn server hook
on_reload  # hrdcase/gunicorn_conf.py: a gunicorn server hook (on_starting is used by it)
resp  # hrdcase/gunicorn_conf.py post_request(worker, req, environ, resp): gunicorn's signature
_.DevelopmentEmailBackend  # hrdcase/mail.py: named by EMAIL_BACKEND in settings
_.send_messages  # hrdcase/mail.py: Django's e-mail backend interface
PASSWORD_RESET_TIMEOUT  # hrdcase/settings.py: read by Django's reset token generator

# --- Issue 24, ready to outgrow one machine: names Django and Celery read by convention.
_.ReplicaRouter  # hrdcase/db_router.py: named by DATABASE_ROUTERS
_.db_for_read  # hrdcase/db_router.py: Django's database router interface
_.db_for_write  # hrdcase/db_router.py
_.allow_relation  # hrdcase/db_router.py
_.allow_migrate  # hrdcase/db_router.py
_.DATABASE_ROUTERS  # hrdcase/settings.py
_.CELERY_TASK_ROUTES  # hrdcase/settings.py
_.bound_field_class  # hrdcase/form_renderer.py (Django 5.2 reads it)
_.css  # cases/registries/timeline.py Tag (read by cases/templatetags/timeline.py)
_.byline  # cases/registries/timeline.py TimelineItem (read by the same tag)
_.timeline_items  # cases/templatetags/timeline.py ({% timeline_items %} in templates)
_.attempts  # alerts/models.py Notification, ChannelDelivery: counted by the claim (F("attempts"))

//! The two UI languages. Every string the UI shows is a [`Msg`] holding both, so a
//! string without its translation does not compile.
//!
//! The language of a page is chosen on the server (the `lang` cookie set by the switch,
//! else the browser's `Accept-Language`, else Chinese) and written to `<html lang>`, from
//! which the browser side reads it when it hydrates.

pub use gongzhi_domain::model::Lang;
use leptos::prelude::*;

/// One UI string in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Msg {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The page's language, provided at the root of the app.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The string in the page's language.
pub fn t(m: Msg) -> &'static str {
    m.get(use_lang())
}

/// The name of the cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "lang";

macro_rules! msgs {
    ($($name:ident = $zh:literal / $en:literal;)*) => {
        $(pub const $name: Msg = Msg { zh: $zh, en: $en };)*
        /// Every message, for the test that none is empty.
        #[cfg(test)]
        pub const ALL: &[Msg] = &[$($name),*];
    };
}

/// The catalogue.
pub mod msg {
    use super::Msg;

    msgs! {
        APP_NAME = "共治" / "Gongzhi";
        TAGLINE = "城市共治平台：反映问题、参与议事、问政部门、评价服务。" / "Your city, run together: report problems, deliberate, ask departments, rate services.";
        SKIP_TO_CONTENT = "跳到正文" / "Skip to main content";
        NAV_LABEL = "主导航" / "Main navigation";
        NAV_HOME = "首页" / "Home";
        NAV_REPORTS = "问题反映" / "Reports";
        NAV_DELIBERATION = "网络议事" / "Deliberation";
        NAV_ASK = "问政" / "Ask";
        NAV_SERVICES = "服务评价" / "Rate services";
        NAV_RESULTS = "公开结果" / "Results";
        NAV_ADMIN = "管理" / "Admin";
        LANG_SWITCH_LABEL = "切换语言" / "Change language";
        LANG_OTHER = "English" / "中文";
        LOG_IN = "登录" / "Log in";
        LOG_OUT = "退出登录" / "Log out";
        SIGN_UP = "注册" / "Sign up";
        MY_ACCOUNT = "我的账号" / "My account";
        LOADING = "正在加载…" / "Loading…";

        HOME_TITLE = "一起把城市变得更好" / "Make the city better, together";
        HOME_REPORT_TITLE = "反映问题" / "Report a problem";
        HOME_REPORT_TEXT = "路灯不亮、井盖缺失、垃圾堆放？拍照定位，一键上报，全程跟踪处理结果。" / "Street light out, manhole cover missing, rubbish dumped? Take a photo, pin the place, and follow the case to its close.";
        HOME_DELIB_TITLE = "参与议事" / "Join deliberation";
        HOME_DELIB_TEXT = "对市场改造、交通方案、公园开放时间等提出建议，表达支持或反对。" / "Propose, support and argue for or against plans for markets, traffic and parks.";
        HOME_ASK_TITLE = "问政部门" / "Ask a department";
        HOME_ASK_TEXT = "公开向政府部门提问，部门公开答复，答复快慢人人可见。" / "Ask government departments in public; they answer in public, and everyone sees how fast.";
        HOME_RESULTS_TITLE = "公开结果" / "See the results";
        HOME_RESULTS_TEXT = "各部门办结率、满意度和开放数据。" / "Closure rates, satisfaction and open data for every department.";

        EMAIL = "电子邮箱" / "Email";
        DISPLAY_NAME = "显示名称" / "Display name";
        DISPLAY_NAME_HINT = "其他人看到的名字，最多 40 个字符。" / "The name others see, up to 40 characters.";
        PASSWORD = "密码" / "Password";
        PASSWORD_HINT = "至少 8 个字符。可以使用一句好记的话。" / "At least 8 characters. A memorable phrase works well.";
        PASSWORD_CONFIRM = "再次输入密码" / "Repeat the password";
        CURRENT_PASSWORD = "当前密码" / "Current password";
        NEW_PASSWORD = "新密码" / "New password";
        NEW_PASSWORD_CONFIRM = "再次输入新密码" / "Repeat the new password";
        REQUIRED_MARK = "（必填）" / "(required)";

        LOGIN_TITLE = "登录" / "Log in";
        LOGIN_NO_ACCOUNT = "还没有账号？" / "No account yet?";
        LOGIN_FORGOT = "忘记密码？" / "Forgot your password?";
        SIGNUP_TITLE = "注册账号" / "Create an account";
        SIGNUP_HAVE_ACCOUNT = "已有账号？" / "Already have an account?";
        SIGNUP_DONE_TITLE = "请查收邮件" / "Check your email";
        SIGNUP_DONE_TEXT = "我们已向您的邮箱发送了激活链接。打开链接即可完成注册。" / "We have sent an activation link to your email address. Open it to finish signing up.";
        OUTBOX_NOTE = "本站尚未配置邮件服务器：邮件保存在管理员的发件箱中，并写入服务器日志。" / "This server has no mail server configured: messages are kept in the administrator's outbox and written to the server log.";
        ACTIVATE_TITLE = "激活账号" / "Activate your account";
        ACTIVATE_TEXT = "点击下面的按钮完成激活并登录。" / "Press the button below to activate your account and log in.";
        ACTIVATE_BUTTON = "激活并登录" / "Activate and log in";
        RESET_TITLE = "重设密码" / "Reset your password";
        RESET_TEXT = "输入注册时使用的邮箱，我们会发送一个重设密码的链接。" / "Enter the email address of your account and we will send you a link to choose a new password.";
        RESET_SEND = "发送重设链接" / "Send the link";
        RESET_SENT = "如果该邮箱已注册，重设链接已发送，一小时内有效。" / "If that address has an account, a reset link is on its way. It works for one hour.";
        RESET_NEW_TITLE = "设置新密码" / "Choose a new password";
        RESET_SAVE = "保存新密码" / "Save the new password";
        RESET_DONE = "密码已更改。所有设备上的登录都已退出，请用新密码登录。" / "Your password is changed. You are logged out everywhere; log in with the new password.";

        ACCOUNT_TITLE = "我的账号" / "My account";
        ROLE = "角色" / "Role";
        DEPARTMENT = "部门" / "Department";
        NO_DEPARTMENT = "（无）" / "(none)";
        CHANGE_PASSWORD = "修改密码" / "Change password";
        PASSWORD_CHANGED = "密码已修改，其他设备上的登录已退出。" / "Password changed. You were logged out on your other devices.";
        SAVE = "保存" / "Save";
        SAVED = "已保存" / "Saved";
        ROLE_RESIDENT = "居民" / "Resident";
        ROLE_MODERATOR = "志愿者（版主）" / "Volunteer moderator";
        ROLE_OFFICIAL = "部门工作人员" / "Official";
        ROLE_ADMIN = "管理员" / "Administrator";

        ADMIN_USERS_TITLE = "用户与角色" / "Users and roles";
        ADMIN_OUTBOX_TITLE = "发件箱" / "Outbox";
        ADMIN_SEARCH = "按邮箱或名称搜索" / "Search by email or name";
        SEARCH = "搜索" / "Search";
        NAME = "名称" / "Name";
        STATUS = "状态" / "Status";
        ACTIVE = "已激活" / "Active";
        NOT_ACTIVE = "未激活" / "Not activated";
        JOINED = "注册时间" / "Joined";
        NO_USERS = "没有符合条件的用户。" / "No users match.";
        USERS_TOTAL = "用户总数" / "Users in total";
        PREVIOUS_PAGE = "上一页" / "Previous page";
        NEXT_PAGE = "下一页" / "Next page";
        PAGES = "分页" / "Pages";
        OUTBOX_EMPTY = "发件箱是空的。" / "The outbox is empty.";
        TO = "收件人" / "To";
        SUBJECT = "主题" / "Subject";
        SENT = "已发送" / "Sent";
        NOT_SENT = "未发送（保存在发件箱）" / "Not sent (kept in the outbox)";

        NOT_FOUND_TITLE = "找不到这个页面" / "Page not found";
        NOT_FOUND_TEXT = "链接可能有误，或者页面已被移除。" / "The link may be wrong, or the page was removed.";
        BACK_HOME = "返回首页" / "Back to the home page";
        FOOTER_TEXT = "共治 · 开源的城市公众参与平台" / "Gongzhi · open-source public participation for cities";

        ERR_INVALID = "请修改标出的内容后再提交。" / "Please correct the marked fields and submit again.";
        ERR_BAD_CREDENTIALS = "邮箱或密码不正确。" / "The email or password is incorrect.";
        ERR_NOT_ACTIVATED = "账号尚未激活。我们已重新发送激活链接，请查收邮件。" / "This account is not activated yet. We have sent a new activation link; please check your email.";
        ERR_UNAUTHENTICATED = "请先登录。" / "Please log in first.";
        ERR_FORBIDDEN = "您没有权限进行此操作。" / "You do not have permission to do this.";
        ERR_NOT_FOUND = "没有找到。" / "Not found.";
        ERR_INTERNAL = "服务器出错了，请稍后再试。您填写的内容仍在表单中。" / "Something went wrong on the server. Please try again later; what you typed is still in the form.";
        ERR_TRANSPORT = "无法连接服务器，请检查网络后重试。" / "Could not reach the server. Check your connection and try again.";

        P_REQUIRED = "请填写此项。" / "Please fill in this field.";
        P_INVALID_EMAIL = "请输入有效的邮箱地址，例如 name@example.cn。" / "Enter a valid email address, such as name@example.org.";
        P_PASSWORD_MISMATCH = "两次输入的密码不一致。" / "The passwords do not match.";
        P_PASSWORD_COMMON = "这个密码太常见，请换一个。" / "This password is too common; choose another.";
        P_WRONG_PASSWORD = "当前密码不正确。" / "The current password is not right.";
        P_INVALID_CHOICE = "这个选项不可用。" / "This choice is not allowed.";
        P_DEPARTMENT_REQUIRED = "部门工作人员必须属于一个部门。" / "An official must belong to a department.";
        P_UNKNOWN_DEPARTMENT = "没有这个部门。" / "There is no such department.";
        P_DEPARTMENT_RETIRED = "这个部门已撤销，请选择接手其工作的部门。" / "This department was retired; choose the department that took over its work.";
        P_EXPIRED_LINK = "链接已过期或已使用过。请重新申请。" / "This link has expired or was already used. Please ask for a new one.";
        LAST_ADMIN = "不能取消最后一位管理员的管理员角色。" / "The last administrator cannot give up the role.";

        REPORTS_TITLE = "问题反映" / "Reports";
        REPORTS_LEAD = "居民反映的城市问题和处理进展，全部公开。" / "Problems residents reported and how they are being handled, all in public.";
        REPORT_NEW = "我要反映问题" / "Report a problem";
        MY_REPORTS = "我反映的问题" / "My reports";
        NOTIFICATIONS = "消息通知" / "Notifications";
        FILTERS = "筛选" / "Filters";
        APPLY_FILTERS = "筛选" / "Apply filters";
        CLEAR_FILTERS = "清除筛选" / "Clear filters";
        FILTERS_IGNORED = "有的筛选条件有误（原因见说明），下面的结果没有使用它们。" / "Some filters are not valid (the reasons are shown) and were left out of the list below.";
        ANY = "全部" / "All";
        CATEGORY = "问题类别" / "Category";
        GROUP = "大类" / "Group";
        GRID = "网格" / "Grid";
        DATE_FROM = "起始日期" / "From date";
        DATE_TO = "截止日期" / "To date";
        SEARCH_TEXT = "关键词" / "Search words";
        STATUS_OPEN_ALL = "未办结（全部）" / "Open (all)";
        STATUS_CLOSED_ALL = "已办结或不予受理" / "Closed or not accepted";
        NO_REPORTS = "没有符合条件的问题。" / "No reports match.";
        OLDER = "更早的问题" / "Older reports";
        FIRST_PAGE = "回到最新" / "Back to the newest";
        ST_SUBMITTED = "待受理" / "Received";
        ST_ACCEPTED = "已受理" / "Accepted";
        ST_IN_PROGRESS = "处置中" / "In progress";
        ST_RESOLVED = "已处置" / "Resolved";
        ST_CLOSED = "已办结" / "Closed";
        ST_REJECTED = "不予受理" / "Not accepted";
        ST_REOPENED = "整改中" / "Reopened";
        SUPPORTS = "人遇到同样问题" / "people have the same problem";
        REPORTED_AT = "反映时间" / "Reported";
        DUE_AT = "处理时限" / "Due by";
        CLOSED_AT = "办结时间" / "Closed";
        LOCATION = "位置" / "Location";
        ADDRESS = "地址或位置描述" / "Address or description of the place";
        ADDRESS_HINT = "例如：民族大道 100 号门前、南湖公园北门。" / "For example: outside 100 Minzu Avenue, the north gate of Nanhu Park.";
        DESCRIPTION = "问题描述" / "What is the problem?";
        DESCRIPTION_HINT = "说清楚是什么问题、持续多久、有什么影响。" / "Say what the problem is, how long it has been there and whom it affects.";
        CHARS_LEFT = "剩余字数" / "Characters left";
        PHOTOS = "照片" / "Photos";
        PHOTOS_HINT = "最多 5 张 JPEG、PNG 或 WebP 照片。照片中的位置等信息会被去除。" / "Up to 5 JPEG, PNG or WebP photos. Location and other hidden data are removed from them.";
        PHOTOS_KEPT = "已上传的照片（取消勾选可移除）" / "Photos already uploaded (untick to remove)";
        TIMELINE = "处理进展" / "Progress";
        REPORTER = "反映人" / "Reported by";
        ANONYMOUS = "匿名" / "Anonymous";
        NAME_HIDDEN = "未公开姓名" / "Name not shown";
        ME_TOO = "我也遇到了" / "Me too";
        ME_TOO_DONE = "已表示遇到同样问题（点击撤回）" / "You have this problem too (press to take back)";
        FOLLOW = "关注进展" / "Follow";
        UNFOLLOW = "取消关注" / "Unfollow";
        FOLLOWING_NOTE = "有新进展时会通知您。" / "You will be notified of every update.";
        SIGN_IN_TO_ACT = "登录后可以表示“我也遇到了”并关注进展。" / "Log in to say \"me too\" and follow the report.";
        REPORT_THANKS = "感谢您的反映！问题已提交，处理进展会显示在这里。" / "Thank you! Your report is filed; its progress will show here.";
        TRACK_TITLE = "跟踪问题处理进展" / "Follow your report";
        TRACK_CODE = "跟踪码" / "Tracking code";
        TRACK_SAVE = "请保存这个跟踪码或本页链接。为保护隐私，我们只保存跟踪码的摘要，无法找回。" / "Save this code or this page's link. To protect your privacy we keep only a fingerprint of the code and cannot show it again.";
        TRACK_ENTER = "输入跟踪码" / "Enter your tracking code";
        TRACK_GO = "查看进展" / "Show progress";
        TRACK_NOT_FOUND = "没有找到这个跟踪码对应的问题，请检查后重试。" / "No report has this tracking code. Please check it and try again.";
        FORM_STEP_WHAT = "1. 什么问题" / "1. What is the problem";
        FORM_STEP_WHERE = "2. 在哪里" / "2. Where is it";
        FORM_STEP_DETAILS = "3. 详细情况" / "3. Details";
        CATEGORY_SEARCH = "搜索类别（名称或关键词）" / "Search categories (name or keyword)";
        CATEGORY_CHOOSE = "请选择类别" / "Choose a category";
        LAT = "纬度" / "Latitude";
        LON = "经度" / "Longitude";
        COORDS_HINT = "在地图上点击选点，或使用当前位置；也可以直接填写坐标（WGS84，例如 22.817、108.366），或者只填写下面的地址（写上道路、小区或地标的名称）。" / "Tap the map to place the pin, or use your location; you can also type the coordinates (WGS84, e.g. 22.817, 108.366), or just the address below (name a road, community or landmark).";
        USE_MY_LOCATION = "使用我的当前位置" / "Use my location";
        MAP_LABEL = "选择位置的地图" / "Map to choose the place";
        HIDE_NAME = "不公开我的名字" / "Do not show my name publicly";
        ANON_NOTE = "您未登录，将以匿名方式提交。提交后会得到一个跟踪码，用于查看处理进展。" / "You are not logged in, so this report is anonymous. You will get a tracking code to follow it.";
        ANON_DISABLED = "本市要求登录后才能反映问题。" / "This city asks you to log in before reporting.";
        SUBMIT_REPORT = "提交" / "Submit the report";
        DUPLICATES_TITLE = "附近已有类似问题" / "Already reported nearby";
        DUPLICATES_TEXT = "如果是同一个问题，可以点击“我也遇到了”并关注进展，不必重复提交。" / "If it is the same problem, say \"me too\" and follow it instead of filing again.";
        METRES_AWAY = "米外" / "m away";
        DRAFT_RESTORED = "已恢复您上次未提交的草稿。" / "Your unsent draft was restored.";
        NOTIFICATIONS_EMPTY = "暂无消息。" / "No notifications.";
        MARK_ALL_READ = "全部标为已读" / "Mark all as read";
        UNREAD = "未读" / "Unread";
        EMAIL_NOTIFICATIONS = "同时通过电子邮件通知我" / "Also notify me by email";
        EMAIL_NOT_CONFIGURED = "本站尚未配置邮件服务器，目前只有站内通知。" / "This server has no mail server configured yet, so notifications stay in the app.";
        REPORTS_MAP = "问题地图" / "Reports on the map";
        MAP_VIEW = "在地图上查看" / "Show on a map";
        LIST_VIEW = "以列表查看" / "Show as a list";
        NOTIF_UPDATE = "您关注的问题有新进展" / "A report you follow has news";
        ADD_UPDATE = "添加处理进展" / "Add an update";
        NOTE = "说明" / "Note";
        PUBLIC_NOTE = "公开（居民可见，并通知关注者）" / "Public (residents see it; followers are notified)";
        INTERNAL = "内部" / "Internal";
        ACTOR_SYSTEM = "系统" / "System";
        ACTOR_REPORTER = "反映人" / "Reporter";
        EV_FOLLOW_UP = "反映人补充说明" / "Reporter's follow-up";
        EV_REOPEN = "反映人要求重新办理" / "Reporter asked for it to be handled again";
        RELAY_WAITING = "等待转交办理系统" / "Waiting to be passed to the case system";
        RELAY_SENT = "已转交办理系统" / "Passed to the case system";
        RELAY_REFUSED = "办理系统未接收：" / "The case system did not take it: ";
        FOLLOW_UP_TITLE = "补充说明或要求重新办理" / "Add a follow-up or ask for it to be handled again";
        FOLLOW_UP_HINT = "您是这个问题的反映人。补充的内容会公开显示在办理进度中（不显示您的姓名），并转给办理部门。" / "You reported this problem. What you add is shown publicly on the timeline (without your name) and passed to the department handling it.";
        FOLLOW_UP_NOTE = "补充内容" / "Your follow-up";
        FOLLOW_UP_SEND = "提交补充说明" / "Send follow-up";
        REOPEN_LABEL = "问题没有解决，要求重新办理" / "Not fixed: ask for it to be handled again";
        REOPEN_HINT = "问题办结后 30 天内，如果没有解决，可以要求重新办理；请写明哪里还没有解决。" / "Within 30 days of closing, if the problem is not fixed, you can ask for it to be handled again; say what is still wrong.";
        FOLLOW_UP_DONE = "已提交，感谢补充。" / "Sent. Thank you for the follow-up.";
        ACTOR_RESIDENT = "居民" / "Resident";
        EV_SUBMITTED = "问题已提交" / "Report filed";
        ADMIN_CATEGORIES_TITLE = "问题类别" / "Report categories";
        ADMIN_GRIDS_TITLE = "网格" / "Grids";
        NEW_CATEGORY = "新建类别" / "New category";
        EDIT = "编辑" / "Edit";
        CODE = "编码" / "Code";
        NAME_ZH = "中文名称" / "Chinese name";
        NAME_EN = "英文名称" / "English name";
        DESCRIPTION_ZH = "中文说明" / "Chinese description";
        DESCRIPTION_EN = "英文说明" / "English description";
        KEYWORDS = "关键词（逗号分隔）" / "Keywords (comma-separated)";
        TIME_LIMIT_HOURS = "处理时限（小时）" / "Time limit (hours)";
        ATTRIBUTES = "附加字段" / "Extra fields";
        ATTRIBUTES_HINT = "居民报告这一类问题时还要回答的问题，也是 Open311 服务定义中的属性。最后一组留空即可；填写它就新增一个字段。" / "Questions residents answer when they report this kind of problem; they are the attributes of the Open311 service definition. Leave the last group empty, or fill it in to add a field.";
        ATTRIBUTE_N = "字段" / "Field";
        ATTRIBUTE_CODE_HINT = "Open311 属性编码：字母、数字、_ - 或 .，例如 position" / "The Open311 attribute code: letters, digits, _ - or ., e.g. position";
        ATTRIBUTE_TYPE = "类型" / "Type";
        ATTRIBUTE_REQUIRED = "居民必须填写" / "Residents must answer it";
        QUESTION_ZH = "中文问题" / "Question in Chinese";
        QUESTION_EN = "英文问题" / "Question in English";
        CHOICES = "选项" / "Choices";
        CHOICES_HINT = "仅用于单选和多选。每行一个：键 | 中文名称 | English name，例如 road | 车行道 | Road" / "For the choose-one and choose-any types. One per line: key | 中文名称 | English name, e.g. road | 车行道 | Road";
        REMOVE_ATTRIBUTE = "保存时删除此字段" / "Remove this field when saving";
        ADD_ATTRIBUTE = "再加一个字段" / "Add another field";
        TYPE_STRING = "单行文字" / "One line of text";
        TYPE_TEXT = "多行文字" / "Several lines of text";
        TYPE_NUMBER = "数字" / "Number";
        TYPE_DATE = "日期" / "Date";
        TYPE_SINGLE = "单选" / "Choose one";
        TYPE_MULTI = "多选" / "Choose any";
        ACTIVE_CATEGORY = "启用（居民可选）" / "Active (residents can choose it)";
        POSITION = "排序" / "Order";
        INACTIVE = "已停用" / "Inactive";
        GRIDS_UPLOAD = "上传网格（GeoJSON）" / "Upload grids (GeoJSON)";
        GRIDS_HINT = "FeatureCollection，每个要素为 Polygon 或 MultiPolygon，properties 含 code、name_zh、name_en、department（部门编码）。相同编码的网格会被更新。" / "A FeatureCollection of Polygon or MultiPolygon features whose properties have code, name_zh, name_en and department (a department code). Grids with a known code are updated.";
        GRIDS_IMPORTED = "网格已导入" / "Grids imported";
        CREATED = "新增" / "created";
        UPDATED = "更新" / "updated";
        DOWNLOAD_GEOJSON = "下载全部网格（GeoJSON）" / "Download all grids (GeoJSON)";
        HOURS = "小时" / "hours";
        P_NOT_A_NUMBER = "请输入数字。" / "Enter a number.";
        P_NOT_A_DATE = "请输入日期，格式为 年-月-日。" / "Enter a date as YYYY-MM-DD.";
        P_INVALID_LOCATION = "请在地图上选点，或填写有效的纬度和经度。" / "Place the pin on the map, or enter a valid latitude and longitude.";
        P_OUTSIDE_GRIDS = "这个位置不在本市的服务范围（网格）内，请检查位置。" / "This place is outside the city's service area (its grids). Please check the location.";
        P_ADDRESS_NOT_FOUND = "没有找到这个地址。请写上道路、小区或地标的名称，或者在地图上选点。" / "We could not find this address. Name a road, community or landmark, or place the pin on the map.";
        PLACES_UPLOAD = "地名（用于按地址定位）" / "Place names (to locate reports by address)";
        PLACES_HINT = "每行一个：名称,纬度,经度（WGS84）。已有名称会被更新。" / "One per line: name,latitude,longitude (WGS84). Known names are updated.";
        PLACES_COUNT = "已有地名" / "Place names known";
        PLACES_IMPORTED = "地名已导入" / "Place names loaded";
        EV_FORWARDED = "已转交城市案件系统，案件编号" / "Passed to the city's case system, case number";
        CASE_SYSTEM = "案件系统" / "Case system";
        FORWARD_SENT = "已转交" / "Passed on";
        FORWARD_WAITING = "等待转交" / "Waiting to be passed on";
        FORWARD_FAILED = "上次尝试未成功，系统会自动重试。原因：" / "The last try failed and will be repeated automatically. Reason: ";
        ADMIN_KEYS_TITLE = "API 密钥" / "API keys";
        ADMIN_KEYS_INTRO = "其他系统（第三方应用、其他城市的平台）通过 Open311 GeoReport v2 接口提交问题时使用密钥。每个密钥只在签发时显示一次；撤销后立即失效。" / "Other software (third-party apps, other cities' platforms) uses a key to post reports through the Open311 GeoReport v2 API. Each key is shown once, when issued; a revoked key stops working at once.";
        KEY_NAME = "密钥名称" / "Key name";
        KEY_NAME_HINT = "谁使用这个密钥，例如：12345 热线系统" / "Who uses this key, e.g. the 12345 hotline system";
        ISSUE_KEY = "签发密钥" / "Issue key";
        KEY_ISSUED = "新密钥如下。请立即复制保存，此后不再显示：" / "Here is the new key. Copy it now: it will not be shown again:";
        KEYS_LIST = "已签发的密钥" / "Issued keys";
        NO_KEYS = "还没有签发密钥。" / "No keys issued yet.";
        ISSUED_AT = "签发于" / "issued";
        LAST_USED = "最近使用" / "last used";
        NEVER_USED = "从未使用" / "never";
        REVOKED = "已撤销" / "Revoked";
        REVOKE = "撤销" / "Revoke";
        ADMIN_JOBS_TITLE = "任务队列" / "Job queue";
        JOBS_INTRO = "问题转交案件系统、发送邮件等工作在这里排队。失败的任务会按退避时间自动重试；多次失败后搁置，等待管理员处理后重试。" / "Passing reports to the case system, sending mail and other work wait here. A failed job is retried automatically after a growing pause; after its last try it is set aside until an admin retries it.";
        CONNECTOR = "案件系统连接" / "Case system connector";
        JOBS_FAILING = "失败重试中" / "Failing";
        JOBS_DEAD = "已搁置" / "Dead";
        JOBS_QUEUED = "等待中" / "Queued";
        JOBS_RUNNING = "执行中" / "Running";
        NO_JOBS = "这里没有任务。" / "No jobs here.";
        ATTEMPTS = "尝试次数" / "tries";
        NEXT_TRY = "下次尝试" / "next try";
        LAST_ERROR = "最近的错误" / "Last error";
        RETRY_NOW = "立即重试" / "Retry now";
        JOB_FORWARD = "转交案件系统：问题" / "Pass to the case system: report";
        JOB_MAIL = "发送邮件" / "Send mail";
        P_UNKNOWN_CATEGORY = "请从列表中选择一个类别。" / "Choose a category from the list.";
        P_NOT_AN_IMAGE = "只能上传 JPEG、PNG 或 WebP 图片（按文件内容判断）。" / "Only JPEG, PNG or WebP images can be uploaded (judged by the file's content).";
        P_PHOTO_UNREADABLE = "这张照片已损坏或尺寸过大，无法读取。" / "This photo is damaged or too large to read.";
        P_SESSION_STARTED = "这场直播已经开始，不能再修改或取消。" / "This session has started: it can no longer be changed or called off.";
        P_SESSION_CANCELLED = "这场直播已取消。" / "This session was called off.";
        P_NOT_A_DOCUMENT = "请上传 PDF 文件或 JPEG、PNG、WebP 图片。" / "Attach a PDF document or a JPEG, PNG or WebP image.";
        P_ALREADY_TAKEN = "这个值已被使用。" / "This value is already used.";
        DELIB_INTRO = "城市的事大家商量：看方案、提建议、表态支持、讨论利弊，部门公开答复。" / "Decide about the city together: read the plans, make proposals, support them, weigh the arguments, and read the department's public answer.";
        DELIB_VIEW_OPEN = "进行中" / "Open";
        DELIB_VIEW_UPCOMING = "即将开始" / "Upcoming";
        DELIB_VIEW_CLOSED = "已结束" / "Closed";
        DELIB_NONE = "这里还没有议题。" / "No topics here yet.";
        DELIB_OPEN_NEW = "发起议题" / "Open a topic";
        DELIB_EDIT = "编辑议题" / "Edit this topic";
        DELIB_PHASES = "议事阶段" / "Phases";
        DELIB_PROPOSAL_COUNT = "条建议" / "proposals";
        DELIB_THRESHOLD_A = "获得" / "Proposals with";
        DELIB_THRESHOLD_B = "个及以上支持的建议，部门须公开答复。" / "supports or more get a public answer from the department.";
        PHASE_UPCOMING = "即将开始" / "Upcoming";
        PHASE_INFORMATION = "信息公开" / "Information";
        PHASE_PROPOSALS = "征集建议" / "Proposals";
        PHASE_DISCUSSION = "讨论" / "Discussion";
        PHASE_DECISION = "决策" / "Decision";
        PHASE_CLOSED = "已结束" / "Closed";
        PHASE_NOW = "当前" / "now";
        PROPOSALS_TITLE = "居民建议" / "Proposals";
        PROPOSALS_NONE = "还没有建议。" / "No proposals yet.";
        ORDER_SUPPORTS = "支持最多" / "Most supported";
        ORDER_NEWEST = "最新" / "Newest";
        PROPOSE_TITLE = "提出建议" / "Make a proposal";
        PROPOSE_CLOSED = "现在不在征集建议阶段，不能提交新建议。" / "Proposals are not being taken now.";
        PROPOSE_SIGN_IN = "登录后可以提出建议、表态支持。" / "Log in to make proposals and support them.";
        F_TITLE = "标题" / "Title";
        F_MARKDOWN_BODY = "内容" / "Text";
        F_MARKDOWN_HINT = "可以使用 Markdown：**加粗**、*斜体*、- 列表、[链接](https://…)。" / "Markdown works: **bold**, *italic*, - lists, [links](https://…).";
        F_PLACE_HINT = "可选：与建议相关的地点。" / "Optional: a place the proposal is about.";
        PROPOSAL_PLACE = "地点（可选）" / "Place (optional)";
        PROPOSAL_COORDS_HINT = "在地图上点击，标出建议涉及的地点；或填写坐标（WGS84，例如 22.817、108.366）；也可以只写地址。" / "Tap the map to mark the place the proposal is about, or type its coordinates (WGS84, e.g. 22.817, 108.366), or just give the address.";
        PROPOSAL_SUBMIT = "提交建议" / "Submit proposal";
        PROPOSAL_HELD = "等待审核，目前只有您能看到。" / "Awaiting review: only you can see it for now.";
        PROPOSAL_HIDDEN = "已被版主隐藏。原因：" / "Hidden by moderators. Reason: ";
        PROPOSED_BY = "建议人" / "Proposed by";
        PROPOSED_AT = "提出于" / "Proposed";
        EDITED_AT = "修改于" / "Edited";
        SUPPORT_ON = "支持这条建议" / "Support this proposal";
        SUPPORT_OFF = "撤回支持" / "Withdraw support";
        SUPPORT_COUNT = "个支持" / "supports";
        SUPPORTS_CLOSED_NOTE = "现在不能支持或撤回支持。" / "Supports are not being taken now.";
        THRESHOLD_REACHED = "已达到答复门槛，部门须公开答复。" / "Reached the threshold: the department must answer in public.";
        PROPOSAL_EDIT = "修改建议" / "Edit proposal";
        PROPOSAL_EDIT_NOTE = "在有人支持或评论之前可以修改。" / "You can edit until someone supports or comments.";
        BACK_TO_PROCESS = "返回议题：" / "Back to the topic: ";
        IMAGE_COVER = "封面图片" / "Cover image";
        IMAGE_PROPOSAL = "建议配图（可选）" / "Image (optional)";
        IMAGE_CURRENT = "当前图片：" / "Current image: ";
        IMAGE_NONE = "还没有图片。" / "No image yet.";
        F_IMAGE = "图片文件" / "Image file";
        F_IMAGE_HINT = "一张 JPEG、PNG 或 WebP 图片，新图片会替换旧图片。位置等隐藏信息会被去除。" / "One JPEG, PNG or WebP picture; a new one replaces the old. Location and other hidden data are removed.";
        F_ALT = "图片说明" / "Image description";
        F_ALT_HINT = "为看不到图片的人（例如使用读屏软件的人）写一句话描述图片内容。" / "One sentence describing the picture for people who cannot see it (for example, screen reader users).";
        IMAGE_UPLOAD = "上传图片" / "Upload image";
        IMAGE_REMOVE = "删除图片" / "Remove image";
        PLACE = "地点：" / "Place: ";
        F_SUMMARY = "摘要" / "Summary";
        F_SUMMARY_HINT = "一两句话，显示在议题列表中。" / "A sentence or two, shown in the list of topics.";
        F_DESCRIPTION = "说明" / "Description";
        F_INFORMATION_AT = "信息公开开始" / "Information starts";
        F_PROPOSALS_AT = "征集建议开始" / "Proposals start";
        F_DISCUSSION_AT = "讨论开始" / "Discussion starts";
        F_DECISION_AT = "决策开始" / "Decision starts";
        F_CLOSES = "最后一天" / "Last day";
        F_PHASES_HINT = "每个阶段从当天开始；某个阶段与下一个阶段同一天开始，则跳过该阶段。" / "Each phase starts at the beginning of its day; a phase starting on the same day as the next is skipped.";
        F_THRESHOLD = "答复门槛（支持数，可不填）" / "Answer threshold (supports, optional)";
        DISCUSSION = "讨论" / "Discussion";
        STANCE_FOR = "支持" / "For";
        STANCE_AGAINST = "反对" / "Against";
        STANCE_NEUTRAL = "中立" / "Neutral";
        YOUR_STANCE = "您的立场" / "Your stance";
        COMMENT_BODY = "您的观点" / "Your comment";
        COMMENT_SUBMIT = "发表评论" / "Post comment";
        REPLY = "回复" / "Reply";
        REPLY_TO = "回复" / "replying to";
        REPLY_SUBMIT = "发表回复" / "Post reply";
        HELPFUL = "有帮助" / "Helpful";
        DELETE = "删除" / "Delete";
        EDITED = "已修改" / "edited";
        EDIT_WINDOW_NOTE = "发表后 15 分钟内可以修改。" / "You can edit a comment for 15 minutes after posting it.";
        COMMENT_DELETED = "此评论已被作者删除。" / "Deleted by its author.";
        COMMENT_HIDDEN = "已被版主隐藏。原因：" / "Hidden by moderators. Reason: ";
        COMMENT_HELD = "等待审核，目前只有您能看到。" / "Awaiting review: only you can see it for now.";
        SHOW_MORE = "显示更多评论" / "Show more comments";
        COMMENTS_START = "回到最前面" / "Back to the start";
        ORDER_OLDEST = "最早" / "Oldest";
        ORDER_HELPFUL = "最有帮助" / "Most helpful";
        STRONGEST_FOR = "支持方最有帮助的观点" / "Most helpful arguments for";
        STRONGEST_AGAINST = "反对方最有帮助的观点" / "Most helpful arguments against";
        NO_COMMENTS = "还没有评论。" / "No comments yet.";
        COMMENTS_CLOSED = "现在不能发表评论。" / "Comments are closed now.";
        COMMENT_SIGN_IN = "登录后可以参与讨论。" / "Log in to join the discussion.";
        P_COMMENTS_CLOSED = "只有在征集建议和讨论阶段才能发表评论。" / "Comments are taken only during the proposal and discussion phases.";
        P_OWN_CONTENT = "不能给自己的内容投票。" / "You cannot mark your own content.";
        P_BEFORE_DECISION = "进入决策阶段后才能发布结果报告。" / "The closing report can be published from the decision phase on.";
        P_MERGED_AWAY = "这条建议已合并到另一条建议，请到那条建议操作。" / "This proposal was merged into another; please use that one.";
        P_DATE_ORDER = "这个阶段的日期不能早于前一个阶段。" / "This phase cannot start before the phase before it.";
        P_PROPOSALS_CLOSED = "现在不在征集建议阶段，不能提交建议。" / "Proposals are taken only during the proposal phase.";
        P_SUPPORTS_CLOSED = "只有在征集建议和讨论阶段才能支持建议。" / "Proposals can be supported only during the proposal and discussion phases.";
        P_EDIT_LOCKED = "这条建议已有人支持或评论，不能再修改。" / "This proposal has supports or comments and can no longer be edited.";
        P_ALREADY_SUPPORTED = "您已经支持过这条建议。" / "You already support this proposal.";
        P_NOT_CLOSED = "问题尚未办结，办结后才能要求重新办理。" / "The report is not closed yet; it can be reopened once it is.";
        P_CASE_MOVED = "这个案件已被他人处理，状态已变化。请刷新页面后再操作。" / "Someone else has moved this case on since you opened it. Reload the page and look again.";
        NAV_CASES = "案件办理" / "Cases";
        ADMIN_DEPTS_TITLE = "部门" / "Departments";
        DEPTS_INTRO = "市政府各部门：问题类别和网格归属于部门，官员属于部门。指挥中心负责案件的受理、立案、派遣、核查和结案（管理员也可以）。" / "The city government's departments: categories and grids belong to a department, and so do officials. The dispatch centre accepts, registers, dispatches, verifies and closes cases (admins can too).";
        SAVE_DEPT = "新增或修改部门" / "Add or change a department";
        DEPT_SAVED = "部门已保存。" / "Department saved.";
        RETIRED_MARK = "（已撤销）" / " (retired)";
        DEPT_RETIRED_TO = "已撤销，工作由此部门接手：" / "Retired; its work passed to: ";
        RETIRE_DEPT = "撤销部门" / "Retire a department";
        RETIRE_INTRO = "机构改革时撤销一个部门：它未办结的案件、未答复的提问、官员、问题类别、网格、服务事项、未结束的征集和直播、未完成的整改都移交给接手的部门，每件移交的案件和提问在公开时间线上记一笔（附下面的说明），关注者会收到通知。已办结的案件、答复和评价仍归原部门。要改部门代码，先用新代码新增部门，再把旧部门撤销并由新部门接手。撤销不能撤回。" / "Retire a department in a reorganisation: its open cases, unanswered questions, officials, categories, grids, services, processes and live sessions not yet over, and rectifications not yet done pass to the successor; each moved case and question gets a public timeline entry (with the note below) and its followers are told. Closed cases, answers and ratings stay with the retired department. To change a department's code, add a department with the new code, then retire the old one into it. Retiring cannot be undone.";
        DEPT_TO_RETIRE = "要撤销的部门" / "Department to retire";
        DEPT_SUCCESSOR = "接手的部门" / "Department that takes over";
        RETIRE_NOTE = "公开说明" / "Public note";
        RETIRE_NOTE_HINT = "写在每件移交事项的时间线上，例如“机构改革：并入市城市管理局”。" / "Shown on each moved item's timeline, for instance “Reorganisation: merged into the City Management Bureau”.";
        RETIRE_CONFIRM = "我明白：未办结的工作会移交给接手的部门，撤销不能撤回。" / "I understand: its open work passes to the successor, and retiring cannot be undone.";
        P_CONFIRM = "请勾选确认后再提交。" / "Tick the box to confirm.";
        RETIRE_BUTTON = "撤销并移交" / "Retire and hand over";
        EV_TRANSFERRED = "部门调整，移交办理" / "Passed to another department in a reorganisation";
        DEPT_CODE_HINT = "字母、数字、_、- 或 .；填写已有的编码即修改该部门。" / "Letters, digits, _, - or .; an existing code changes that department.";
        DISPATCH_CENTRE = "指挥中心" / "Dispatch centre";
        DISPATCH_LABEL = "指挥中心（受理、立案、派遣、核查、结案）" / "Dispatch centre (accepts, registers, dispatches, verifies and closes cases)";
        CASES_TITLE = "案件办理" / "Case inbox";
        CASES_INTRO_DISPATCH = "指挥中心：受理、立案、派遣、核查、结案。按办理期限排序，最紧急的在前。" / "Dispatch centre: accept, register, dispatch, verify and close. Sorted by deadline, most urgent first.";
        CASES_INTRO_DEPT = "本部门的案件：处置，或不属于本部门时退回指挥中心。按办理期限排序，最紧急的在前。" / "Your department's cases: handle them, or return one that is not yours to the dispatch centre. Sorted by deadline, most urgent first.";
        INBOX_MINE = "待我办理" / "Waiting for me";
        INBOX_OVERDUE = "已超期" / "Overdue";
        INBOX_OPEN = "全部在办" / "All open";
        INBOX_DONE = "已办结" / "Done";
        NO_CASES = "这里没有案件。" / "No cases here.";
        OVERDUE = "已超期" / "Overdue";
        CLOSED_LATE = "超期办结" / "Closed late";
        DUE = "期限" / "Due";
        CASE_TITLE = "案件" / "Case";
        CASE_STAGE = "办理阶段" / "Stage";
        HANDLING_DEPT = "处置部门" / "Handling department";
        ROUND = "处置轮次" / "Round";
        RETURNS = "退回次数" / "Returned";
        CASE_RECORD = "办理记录（含内部记录）" / "Case record (internal entries included)";
        CASE_ACTIONS = "办理" / "Act on the case";
        NO_STEPS = "现在没有需要您办理的步骤。" / "There is nothing for you to do on this case now.";
        PUBLIC_PAGE = "公开页面" / "Public page";
        WORK_CASE = "办理此案件" / "Work this case";
        STEP_DONE = "已办理：" / "Done: ";
        AFTER_PHOTOS = "处置后照片（可选，最多 5 张）" / "Photos after handling (optional, up to 5)";
        DISPATCH_TO = "派遣至部门" / "Dispatch to department";
        CHOOSE = "请选择" / "Choose";
        REASON = "理由" / "Reason";
        ST_NEW = "待受理" / "To accept";
        ST_ACCEPTED_CASE = "待立案" / "To register";
        ST_REGISTERED = "待派遣" / "To dispatch";
        ST_DISPATCHED = "待处置" / "With the department";
        ST_HANDLED = "待核查" / "To verify";
        ST_VERIFIED = "待结案" / "To close";
        ST_CLOSED_CASE = "已结案" / "Closed";
        ST_DECLINED = "不予立案" / "Not registered";
        STEP_ACCEPT = "受理" / "Accepted";
        STEP_REGISTER = "立案" / "Registered as a case";
        STEP_DECLINE = "不予立案" / "Not registered";
        STEP_DISPATCH = "派遣" / "Dispatched";
        STEP_RETURN = "退回指挥中心" / "Returned to the dispatch centre";
        STEP_HANDLE = "处置完毕" / "Handled";
        STEP_VERIFY = "核查通过" / "Verified";
        STEP_VERIFY_FAILED = "核查未通过，重新处置" / "Verification failed: handle again";
        STEP_CLOSE = "结案" / "Closed";
        STEP_NOTE = "办理说明" / "Note";
        DO_ACCEPT = "受理" / "Accept";
        DO_REGISTER = "立案" / "Register as a case";
        DO_DECLINE = "不予立案" / "Do not register";
        DO_DISPATCH = "派遣" / "Dispatch";
        DO_RETURN = "退回（不属于本部门）" / "Return (not our department)";
        DO_HANDLE = "提交处置结果" / "Report it handled";
        DO_VERIFY = "核查通过" / "Verified on site";
        DO_VERIFY_FAILED = "核查未通过" / "Not fixed: handle again";
        DO_CLOSE = "结案" / "Close the case";
        DO_NOTE = "添加说明" / "Add a note";
        NOTE_PUBLIC_HINT = "除“说明”外，每一步都会公开显示在问题页面上，并通知关注者。" / "Every step but a note shows on the public page and notifies followers.";
        FOLLOW_DELIB = "关注" / "Follow";
        FOLLOWING_DELIB_NOTE = "您已关注：有新答复、阶段变化或结果报告时会通知您。" / "You follow this: you will be told of answers, phase changes and the closing report.";
        OUTCOME_TITLE = "部门答复" / "The department's answer";
        OUTCOME_ACCEPTED = "采纳" / "Accepted";
        OUTCOME_REJECTED = "不予采纳" / "Not accepted";
        OUTCOME_UNDER_STUDY = "研究中" / "Under study";
        OUTCOME_IMPLEMENTED = "已实施" / "Implemented";
        OUTCOME_PROGRESS = "实施进度" / "Progress";
        OUTCOME_EARLIER = "此前的答复" / "Earlier answers";
        OUTCOME_AWAITING = "支持数已达门槛，等待部门答复" / "Threshold reached: awaiting the department's answer";
        ANSWER_FORM_TITLE = "发布部门答复" / "Publish the department's answer";
        ANSWER_FORM_HINT = "答复公开显示，并通知这条建议的支持者和关注者。再次发布会成为新的答复，此前的答复保留在记录中。" / "The answer is public and tells this proposal's supporters and followers. Publishing again adds a new answer; earlier ones stay on the record.";
        F_OUTCOME = "答复结果" / "Outcome";
        F_OUTCOME_BODY = "答复内容（理由、计划或进展）" / "Answer (reasons, plan or progress)";
        F_PROGRESS = "实施进度（%）" / "Progress (%)";
        F_PROGRESS_HINT = "选择“已实施”时必填，0 到 100。" / "Required for “implemented”: 0 to 100.";
        ANSWER_SUBMIT = "发布答复" / "Publish answer";
        MERGE_TITLE = "合并重复建议" / "Merge as a duplicate";
        MERGE_HINT = "把这条建议合并到同一议事中的另一条建议：支持一并转过去（每人仍只算一次），支持者和关注者会收到通知。这条建议仍可阅读。" / "Merge this proposal into another in the same process: its supports move there (still one per resident), and its supporters and followers are told. This proposal stays readable.";
        F_MERGE_INTO = "合并到" / "Merge into";
        MERGE_SUBMIT = "合并" / "Merge";
        MERGED_INTO = "这条建议与另一条建议重复，已合并到：" / "This proposal duplicated another and was merged into: ";
        MERGED_FROM = "已并入的重复建议：" / "Duplicates merged into this one: ";
        CLOSING_REPORT = "结果报告" / "Closing report";
        CLOSING_REPORT_PUBLISH = "发布结果报告" / "Publish the closing report";
        CLOSING_REPORT_EDIT = "修改结果报告" / "Edit the closing report";
        CLOSING_REPORT_HINT = "进入决策阶段后可发布。首次发布时通知关注者、支持者。" / "Can be published from the decision phase on. Followers and supporters are told the first time.";
        F_REPORT = "结果报告" / "Closing report";
        PUBLISHED_AT = "发布于" / "Published";
        NOTIF_REPLY = "有人回复了您" / "Someone replied to you";
        NOTIF_OUTCOME = "部门答复了建议" / "The department answered a proposal";
        NOTIF_MERGED = "您支持的建议已合并" / "A proposal you support was merged";
        NOTIF_MERGED_TO = "查看合并后的建议" / "See the proposal it joined";
        NOTIF_CLOSING_REPORT = "议事发布了结果报告" / "A process published its closing report";
        NOTIF_PHASE = "议事进入新阶段" / "A process entered a new phase";
        P_STAFF_ACCOUNT = "这是工作人员账号，请先把角色改为居民再暂停。" / "This is a staff account: change its role to resident before suspending it.";
        P_ALREADY_FLAGGED = "您已经举报过这条内容，版主会处理。" / "You already flagged this; moderators will look at it.";
        P_OWN_DECISION = "这条内容是您隐藏的，申诉须由另一位版主或管理员处理。" / "You hid this item: another moderator or an admin must decide the appeal.";
        P_NOT_HIDDEN = "只有被隐藏的内容才能申诉。" / "Only hidden content can be appealed.";
        P_ALREADY_APPEALED = "每条内容只能申诉一次，您已经申诉过了。" / "Each item can be appealed once, and you already did.";
        P_THREAD_LOCKED = "版主已锁定这个讨论串，不能再回复。" / "Moderators locked this thread: no new replies.";
        P_DISCUSSION_LOCKED = "版主已锁定这里的讨论，不能再发表评论。" / "Moderators locked this discussion: no new comments.";
        P_ALREADY_ANSWERED = "这个提问已经答复过了；如需更正，请修改答复。" / "This question was answered already; to correct it, edit the answer.";
        P_SAME_DEPARTMENT = "提问已经在这个部门，请选择另一个部门。" / "The question is with this department already; choose another.";
        P_ALREADY_WANTED = "您已经表示过想知道答案了。" / "You already said you want to know too.";
        P_NOT_ANSWERED = "部门答复之后才能追问。" / "You can follow up once the department has answered.";
        P_FOLLOW_UP_USED = "每个提问只能追问一次，您已经追问过了。" / "A question can be followed up once, and you already did.";
        P_DATE_IN_PAST = "请选择今天或以后的日期。" / "Choose today or a later date.";
        KIND_QUESTION = "提问" / "Question";
        KIND_QUESTION_COMMENT = "提问下的评论" / "Comment on a question";
        KIND_QUESTION_FOLLOW_UP = "追问" / "Follow-up";
        KIND_LIVE_QUESTION = "直播提问" / "Question in a live session";
        LIVE_HELD = "您的提问正在等待审核，通过后会出现在排行中。" / "Your question waits for review; once approved it joins the ranking.";
        QC_TITLE = "评论" / "Comments";
        QC_NONE = "还没有评论。" / "No comments yet.";
        QC_F_BODY = "发表评论" / "Add a comment";
        QC_HINT = "文明发言，不要写他人的个人信息。" / "Be civil, and leave out other people's personal details.";
        QC_SUBMIT = "发表" / "Post";
        QC_HELD = "您的评论正在等待审核。" / "Your comment waits for review.";
        QC_HIDDEN = "这条评论已被版主隐藏。原因：" / "Moderators hid this comment. Reason: ";
        QC_SIGN_IN = "登录后可以发表评论。" / "Sign in to comment.";
        NOTIF_QUESTION = "您关注的提问有新进展" / "News on a question you follow";
        FEEDS = "订阅（Atom）" / "Subscribe (Atom)";
        FEED_REPORTS = "新反映问题的订阅源" / "Feed of new reports";
        FEED_ANSWERS = "部门新答复的订阅源" / "Feed of new answers";
        NOTIF_SERVICE_RECTIFY = "服务评价不满意，请部门整改" / "A poor service rating for your department to rectify";
        NOTIF_SERVICE_DONE = "部门已就您的服务评价完成整改" / "The department rectified what you rated";
        NOTIF_RATE_AGAIN = "整改已办结，请再次评价" / "Rectified and closed: please rate it again";
        NOTIF_INBOX = "需要处理的提问" / "A question that needs you";
        QINBOX_RECEIVED = "新提问" / "new question";
        QINBOX_FOLLOW_UP = "提问人追问" / "the asker followed up";
        QINBOX_DUE_SOON = "即将到期" / "due soon";
        QINBOX_OVERDUE = "已逾期" / "overdue";
        QINBOX_ROUTING = "等待分派部门" / "waits for a department";
        Q_TITLE = "网络问政" / "Ask the government";
        Q_INTRO = "向政府部门公开提问，部门公开答复；每个部门的答复期限、答复率和用时都公开可查。" / "Ask a department in public and it answers in public; every department's deadline, answer rate and speed are open for all to see.";
        Q_ASK = "我要提问" / "Ask a question";
        Q_NONE = "还没有符合条件的提问。" / "No questions match.";
        Q_SHOW_ALL = "全部" / "All";
        Q_SHOW_ANSWERED = "已答复" / "Answered";
        Q_SHOW_UNANSWERED = "待答复" / "Unanswered";
        Q_SHOW_OVERDUE = "已超期" / "Overdue";
        Q_SHOW_ROUTING = "待分派" / "Waiting for routing";
        Q_SORT = "排序" / "Order";
        Q_SORT_WANTED = "最多人想知道" / "Most wanted";
        Q_SORT_NEWEST = "最新" / "Newest";
        Q_SORT_OLDEST = "等待最久的未答复" / "Oldest unanswered";
        Q_ALL_DEPARTMENTS = "全部部门" / "All departments";
        Q_FILTER = "筛选" / "Filter";
        Q_MY_DEPARTMENT = "本部门的提问" / "My department's questions";
        Q_COMPARE = "各部门答复情况" / "How departments answer";
        Q_TOTAL = "条提问" / "questions";
        Q_STATUS_ROUTING = "待分派部门" / "Waiting for a department";
        Q_STATUS_OPEN = "待答复" / "Waiting for an answer";
        Q_STATUS_LOOKING = "研究办理中" / "Being looked into";
        Q_STATUS_ANSWERED = "已答复" / "Answered";
        Q_OVERDUE = "已超期" / "Overdue";
        Q_WANTS = "人想知道" / "want to know";
        Q_ASKED_BY = "提问人" / "Asked by";
        Q_DUE = "答复期限" / "Answer due by";
        Q_EXPECTED = "预计答复日期" / "Answer expected by";
        Q_HELD = "您的提问正在等待审核，审核通过后公开，部门从公开之日起计算答复期限。" / "Your question waits for review. It is published once approved, and the department's deadline starts then.";
        Q_HIDDEN = "这个提问未通过审核或已被隐藏。" / "This question was not published or was hidden.";
        Q_FORM_TITLE = "向部门提问" / "Ask a department";
        Q_F_TITLE = "问题标题" / "Your question, in one line";
        Q_F_TITLE_HINT = "一句话说清想问什么，例如“朝阳路夜间施工噪音何时整改？”" / "Say what you want to know in one line, e.g. \"When will the night-time building noise on Chaoyang Road stop?\"";
        Q_F_BODY = "详细情况" / "Details";
        Q_F_BODY_HINT = "时间、地点、经过和您的诉求。请不要写他人的姓名、电话等个人信息。" / "When, where, what happened and what you ask for. Please leave out other people's names, phone numbers and other personal details.";
        Q_F_DEPARTMENT = "提问部门" / "Department";
        Q_F_UNSURE = "不确定是哪个部门（由管理员分派）" / "Not sure which department (an admin will route it)";
        Q_REVIEWED = "提问经审核后公开。" / "Questions are published after review.";
        Q_SIGN_IN = "登录后才能提问。" / "Sign in to ask a question.";
        Q_SIMILAR_CHECK = "先看看有没有类似提问" / "Look for similar questions first";
        Q_SIMILAR = "已有的类似提问" / "Similar questions already asked";
        Q_SIMILAR_HINT = "如果已经有人问过，点“我也想知道”比重复提问更有用。" / "If someone asked already, adding \"I want to know too\" there helps more than asking again.";
        Q_SIMILAR_NONE = "没有找到类似的提问。" / "No similar questions found.";
        Q_SUBMIT = "提交提问" / "Send the question";
        Q_WANT = "我也想知道" / "I want to know too";
        Q_WANTED = "已表示想知道" / "You want to know too";
        Q_WANT_UNDO = "撤回" / "Take back";
        Q_FOLLOWING_NOTE = "有答复、转办等进展时会通知您。" / "You will be told when it is answered, handed over or updated.";
        Q_ANSWERS = "部门答复" / "The department's answer";
        Q_NO_ANSWER = "部门尚未答复。" / "The department has not answered yet.";
        Q_ON_TIME = "按期答复" / "Answered on time";
        Q_LATE = "超期答复" / "Answered late";
        Q_EDITED = "已修改" / "edited";
        Q_HISTORY = "修改记录" / "Earlier wordings";
        Q_WRITTEN = "原文发布于" / "Published";
        Q_REPLACED = "修改于" / "replaced";
        Q_FOLLOW_UP = "提问人追问" / "The asker's follow-up";
        Q_FOLLOW_UP_HELD = "您的追问正在等待审核，通过后才会公开并转回部门。" / "Your follow-up is waiting for review: once approved it is published and goes back to the department.";
        Q_FOLLOW_UP_REFUSED = "您的追问未通过审核，可以修改后重新追问。" / "Your follow-up was not published; you may write another.";
        Q_TIMELINE = "办理过程" / "What happened";
        Q_EV_ASKED = "提问" / "Asked";
        Q_EV_PUBLISHED = "审核通过，公开" / "Published after review";
        Q_EV_ROUTED = "分派至" / "Routed to";
        Q_EV_HANDED_OVER = "转交" / "Handed over to";
        Q_EV_LOOKING = "研究办理中，预计答复日期" / "Being looked into; answer expected by";
        Q_EV_ANSWERED = "答复" / "Answered";
        Q_EV_EDITED = "修改答复" / "Answer edited";
        Q_EV_FOLLOW_UP = "提问人追问，重新计算答复期限" / "The asker followed up; a new deadline runs";
        Q_FROM = "原部门" / "from";
        Q_ANSWER_FORM = "答复这个提问" / "Answer this question";
        Q_F_ANSWER = "答复内容" / "The answer";
        Q_ANSWER_HINT = "公开发布，所有人可见。可以使用 Markdown。" / "Published for everyone to read. Markdown works.";
        Q_ANSWER_SUBMIT = "发布答复" / "Publish the answer";
        Q_EDIT_ANSWER = "修改答复" / "Edit the answer";
        Q_EDIT_HINT = "原来的文字会保留在修改记录里。" / "The earlier wording stays readable in the history.";
        Q_EDIT_SUBMIT = "保存修改" / "Save the edit";
        Q_FILES = "附件" / "Attachments";
        Q_FILE_REMOVED = "已删除于" / "removed";
        Q_FILES_FORM = "附件：添加或删除" / "Attachments: add or remove";
        Q_F_FILE = "文件" / "Files";
        Q_FILE_HINT = "PDF 文件或图片（JPEG、PNG、WebP），每条答复最多 5 个；图片会重新编码，拍摄信息（含位置）会被去除" / "PDF documents or pictures (JPEG, PNG, WebP), at most 5 per answer; pictures are re-encoded, so their camera data (location included) is removed";
        Q_FILE_UPLOAD = "上传附件" / "Attach";
        Q_FILE_REMOVE = "删除" / "Remove";
        Q_HANDOVER = "转交其他部门" / "Hand over to another department";
        Q_HANDOVER_HINT = "说明为什么由对方部门答复；这段说明会公开。对方部门重新计算答复期限。" / "Say why the other department should answer; the note is public. Their deadline starts now.";
        Q_F_HANDOVER_TO = "转交给" / "Hand over to";
        Q_F_NOTE = "公开说明" / "Public note";
        Q_HANDOVER_SUBMIT = "转交" / "Hand over";
        Q_LOOKING = "标记为研究办理中" / "Mark as being looked into";
        Q_LOOKING_HINT = "告诉提问人预计什么时候答复。原答复期限不变。" / "Tell the asker when to expect the answer. The deadline stays as it is.";
        Q_F_EXPECTED = "预计答复日期" / "Answer expected by";
        Q_LOOKING_SUBMIT = "保存" / "Save";
        Q_ROUTE = "分派部门" / "Route to a department";
        Q_ROUTE_HINT = "选择应当答复的部门，部门从现在起计算答复期限。" / "Choose the department that should answer; its deadline starts now.";
        Q_ROUTE_SUBMIT = "分派" / "Route";
        Q_FOLLOW_UP_FORM = "追问" / "Follow up";
        Q_FOLLOW_UP_HINT = "对答复不清楚或不满意，可以追问一次，部门须再次答复。" / "If the answer is unclear or falls short, you may follow up once; the department must answer again.";
        Q_FOLLOW_UP_SUBMIT = "提交追问" / "Send the follow-up";
        Q_RATE = "评价这个答复" / "Rate this answer";
        Q_RATE_CHANGE = "修改评价" / "Change your rating";
        Q_RATE_HINT = "评价提交后 7 天内可以修改。" / "You can change your rating for 7 days.";
        Q_F_LEVEL = "总体评价" / "Overall";
        Q_F_SPEED = "办理速度（可选）" / "Speed (optional)";
        Q_F_RESULT = "办理结果（可选）" / "Result (optional)";
        Q_F_ATTITUDE = "服务态度（可选）" / "Attitude (optional)";
        Q_F_RATING_COMMENT = "评价意见（可选）" / "Comment (optional)";
        Q_RATE_SUBMIT = "提交评价" / "Send the rating";
        CLOSED_FROM = "结案日期从" / "Closed from";
        CLOSED_TO = "结案日期至" / "Closed until";
        TIMELY = "是否按期" / "On time";
        TIMELY_ON_TIME = "按期结案" / "Closed on time";
        TIMELY_LATE = "超期结案" / "Closed late";
        RS_INTRO = "问题反映、问政和评价的办理结果，按月统计，全市或按部门查看。每个数字都可以点开，查看它统计的事项。" / "How reports, questions and ratings were handled, counted by month, for the whole city or one department. Every number opens the list of what it counts.";
        RS_WHOLE_CITY = "全市" / "Whole city";
        RS_FROM_MONTH = "起始月份" / "From month";
        RS_TO_MONTH = "截止月份" / "To month";
        RS_SHOW = "查看" / "Show";
        RS_PERIOD = "统计期间" / "Period";
        RS_THIS_MONTH = "本月" / "This month";
        RS_LAST_MONTH = "上月" / "Last month";
        RS_LAST_12 = "近12个月" / "Last 12 months";
        RS_THIS_YEAR = "今年" / "This year";
        RS_LAST_YEAR = "去年" / "Last year";
        RS_ALL_TIME = "全部时间" / "All time";
        RS_PENDING = "最新的变化正在统计中，数字可能稍有滞后。" / "The latest changes are still being counted; figures may lag a little.";
        RS_RECEIVED = "受理" / "Received";
        RS_CLOSED = "结案" / "Closed";
        RS_ON_TIME = "按期结案率" / "Closed on time";
        RS_ON_TIME_SHORT = "按期" / "on time";
        RS_MEDIAN_CLOSE = "办结时长中位数" / "Median time to close";
        RS_P90_CLOSE = "90%在此时长内办结" / "90% closed within";
        RS_SATISFACTION = "满意率" / "Satisfaction";
        RS_RECTIFIED_ON_TIME = "整改按期完成率" / "Rectified on time";
        RS_RECT_OPENED = "新发整改" / "sent back";
        RS_ASKED = "问政" / "Questions asked";
        RS_ANSWERED = "已答复" / "Answered";
        RS_MEDIAN_ANSWER = "答复时长中位数" / "Median time to answer";
        RS_HOURS = "小时" / "hours";
        RS_DAYS = "天" / "days";
        RS_OVER_A_YEAR = "超过一年" / "over a year";
        RS_DATA_TABLE = "数据表" / "Data table";
        RS_TREND_TITLE = "每周趋势" / "Week by week";
        RS_TREND_ALT = "每周受理和结案的问题数柱状图，数据见下方数据表" / "Bar chart of reports received and closed each week; the data table below holds the figures";
        RS_LAST_60_WEEKS = "图中为最近60周，数据表列出全部" / "the chart shows the last 60 weeks, the table all of them";
        RS_WEEK_OF = "周（周一）" / "Week of (Monday)";
        RS_CATEGORIES_TITLE = "按问题类别" / "By category";
        RS_CATEGORIES_ALT = "各类别受理和结案数横向柱状图，数据见下方数据表" / "Bar chart of reports received and closed per category; the data table below holds the figures";
        RS_MAP_TITLE = "按网格" / "By grid";
        RS_MAP_ALT = "各网格受理问题数地图，颜色越深数量越多，数据见下方数据表" / "Map of reports received per grid, darker for more; the data table below holds the figures";
        RS_MAP_KEY = "颜色越深，受理的问题越多；点击网格查看其问题。" / "Darker grids received more reports; select a grid to see them.";
        RS_OUTSIDE_GRIDS = "不在任何网格内" / "Outside every grid";
        RS_DEPARTMENTS_TITLE = "各部门" / "By department";
        RS_RATINGS_TITLE = "评价" / "Ratings";
        RS_RATED = "评价对象" / "Rated";
        RS_RATED_REPORTS = "问题办理" / "Handled reports";
        RS_RATED_ANSWERS = "问政答复" / "Answers to questions";
        RS_RATED_SERVICES = "政务服务" / "Government services";
        RS_HOW_TITLE = "统计口径" / "How the figures are counted";
        RS_HOW_PERIOD = "按本市当地时间的自然月统计：受理按提交时间，结案按（最后一次）结案时间，评价按评价时间。" / "By calendar month in the city's local time: reports by when they were made, closings by the (last) closing, ratings by when they were given.";
        RS_HOW_CLOSED = "按期结案率：期间内结案的问题中，在办理时限内结案的比例。整改后重新结案的，以最后一次结案为准；重新打开、尚未结案的，不计入结案。" / "Closed on time: of the reports closed in the period, the share closed by their deadline. A report closed again after rectification counts once, at its last closing; one reopened and not yet closed again is not counted as closed.";
        RS_HOW_DURATION = "办结时长从提交到结案计算，按档统计（1天内按小时，7天内按6小时，60天内按天，之后按周），显示所在档的上限。" / "Time to close runs from the report to its closing and is counted in classes (hours within a day, six hours within a week, days within 60 days, then weeks); the upper bound of the class is shown.";
        RS_HOW_SATISFACTION = "满意率：基本满意及以上的评价所占比例。同一评价人对同一事项以最新一轮评价为准（整改后的重新评价取代之前的评价）。" / "Satisfaction: the share of ratings of 基本满意 (fairly satisfied) or better. Each rater's newest round counts (a rating after rectification replaces the one before).";
        RS_HOW_QUESTIONS = "问政：公开的问题按提问时间计（尚未分派到部门的只计入全市）；答复按首次答复时间计，答复时长从问题送达部门起算。" / "Questions: public questions by when they were asked (those not yet routed to a department count for the whole city only); answers by the first answer, timed from when the question reached the department.";
        RS_OPEN_DATA = "下载这些数据（开放数据）" / "Download the data (open data)";
        RL_BACK = "返回办理结果" / "Back to the results";
        RL_RATINGS_TITLE = "计入满意率的评价" / "Ratings counted in the satisfaction rates";
        RL_RATINGS_INTRO = "同一评价人对同一事项以最新一轮评价为准。评价人的姓名、评价意见和办件编号不公开。" / "Each rater's newest round on an item counts. Raters' names, comments and reference numbers are not published.";
        RL_RECT_TITLE = "整改" / "Rectifications";
        RL_RECT_INTRO = "评价为不满意或非常不满意的，部门须限期整改：问题重新办理，或服务改进并公开说明。" / "A dissatisfied rating sends the work back to the department with a deadline: the report is handled again, or the service is improved and the department says in public what it did.";
        RL_FROM = "日期从" / "From";
        RL_TO = "日期至" / "Until";
        RL_ALL = "全部" / "All";
        RL_LEVEL = "评价等级" / "Rating";
        RL_SATISFIED = "基本满意及以上" / "Fairly satisfied or better";
        RL_POOR = "不满意及以下" / "Dissatisfied or worse";
        RL_COUNT_RATINGS = "条评价" / "ratings";
        RL_COUNT_RECT = "项整改" / "rectifications";
        RL_COL_DATE = "日期" / "Date";
        RL_COL_ITEM = "事项" / "Item";
        RL_ROUND = "轮次" / "Round";
        RL_NOT_PUBLIC = "（未公开的问题）" / "(a question that is not public)";
        RL_NONE = "没有符合条件的事项。" / "Nothing matches these filters.";
        RL_BY = "日期指" / "Dates are when it was";
        RL_BY_OPENED = "发起整改" / "Sent back";
        RL_BY_DONE = "完成整改" / "Done";
        RL_STATE = "状态" / "State";
        RL_STATE_ANY = "全部" / "Any";
        RL_STATE_OPEN = "整改中" / "Being rectified";
        RL_STATE_OVERDUE = "超期未完成" / "Overdue";
        RL_STATE_DONE = "已完成" / "Done";
        RL_STATE_DONE_ON_TIME = "按期完成" / "Done on time";
        RL_STATE_DONE_LATE = "超期完成" / "Done late";
        RL_COL_OPENED = "发起" / "Sent back";
        RL_COL_DUE = "期限" / "Due";
        RL_COL_DONE = "完成" / "Done";
        DEPT_REPORTS = "问题办理（全部时间）" / "Reports handled (all time)";
        DEPT_SEE_RESULTS = "查看本部门的办理结果" / "See this department's results";
        Q_ASKED_BETWEEN = "提问日期：" / "Asked:";
        Q_ANSWERED_BETWEEN = "首次答复日期：" / "First answered:";
        Q_F_ASKED_FROM = "提问日期（起）" / "Asked from";
        Q_F_ASKED_TO = "提问日期（止）" / "Asked until";
        Q_F_ANSWERED_FROM = "首次答复日期（起）" / "First answered from";
        Q_F_ANSWERED_TO = "首次答复日期（止）" / "First answered until";
        NAV_OPEN_DATA = "开放数据" / "Open data";
        OD_INTRO = "共治的问题反映、问政答复和办理结果，任何人都可以下载、使用和再发布。" / "Gongzhi's reports, answers and results, for anyone to download, use and republish.";
        OD_LICENCE = "许可" / "Licence";
        OD_NO_PERSONAL = "不含个人信息：没有反映人、提问人、评价人或工作人员的姓名、邮箱、电话、查询码和内部备注。" / "No personal data: no names, emails or phones of reporters, askers, raters or officials, no tracking codes, no internal notes.";
        OD_PARAMS = "可按部门和月份筛选：?department=部门代码&from=YYYY-MM&to=YYYY-MM（月份按本市当地时间）。" / "Filter by department and months: ?department=<code>&from=YYYY-MM&to=YYYY-MM (months in the city's local time).";
        OD_FORMATS = "CSV 为 UTF-8（带 BOM，便于表格软件打开），以 = + - @ 开头的文字前加 ' 以防被当作公式；时间为带本市时区的 ISO 8601。" / "CSV is UTF-8 with a byte-order mark for spreadsheets; text starting with = + - @ gets a leading ' so it is never run as a formula; times are ISO 8601 with the city's offset.";
        OD_CONSISTENT = "评价汇总和月度结果与“办理结果”页面来自同一组统计，数字一致。" / "The rating and monthly result files come from the same counts as the Results page, so the figures agree.";
        OD_FEEDS = "订阅（Atom）：新问题和新答复，均可加 ?department=部门代码。" / "Atom feeds of new reports and new answers, each with an optional ?department=<code>:";
        OD_DEPARTMENT_CODES = "部门代码" / "Department codes";
        OD_CODE = "代码" / "Code";
        OD_FIELDS = "字段" / "Fields";
        OD_FIELD = "字段名" / "Field";
        OD_TYPE = "类型" / "Type";
        OD_MEANING = "含义" / "Meaning";
        OD_OPTIONAL = "可为空" / "may be empty";
        OD_REPORTS = "问题反映" / "Reports";
        OD_REPORTS_ABOUT = "全部问题反映，每条一行；GeoJSON 中每条为一个点。" / "Every report, one row each; in GeoJSON each is a point.";
        OD_QUESTIONS = "问政" / "Questions";
        OD_QUESTIONS_ABOUT = "公开的问政问题（审核中和被隐藏的不含）。" / "Public questions (not those under review or hidden).";
        OD_ANSWERS = "部门答复" / "Answers";
        OD_ANSWERS_ABOUT = "部门对公开问题的答复。" / "Departments' answers to public questions.";
        OD_RATINGS = "评价汇总" / "Rating totals";
        OD_RATINGS_ABOUT = "按月、部门和评价对象汇总的五级评价数（每位评价人以最新一轮为准），不含单条评价。" / "Ratings in the five levels by month, department and what was rated (each rater's newest round), never single ratings.";
        OD_RESULTS = "月度办理结果" / "Monthly results";
        OD_RESULTS_ABOUT = "每个部门每月的受理、结案、按期、办结时长、整改和问政答复数，与“办理结果”页面一致。" / "Each department's month: received, closed, on time, time to close, rectifications and answers, as on the Results page.";
        SV_TITLE = "政务服务评价" / "Rate government services";
        SV_INTRO = "为您办理过的政务服务打分（好差评）。评价不满意的，部门须在规定期限内整改并公开说明整改情况。" / "Rate the government services you used. Poor ratings go to the department, which must rectify within the city's deadline and say in public what it did.";
        SV_NONE = "还没有可以评价的服务。" / "No services to rate yet.";
        SV_COL_NAME = "服务" / "Service";
        SV_COL_RATINGS = "评价数" / "Ratings";
        SV_COL_SATISFACTION = "满意率" / "Satisfied";
        SV_COL_AVERAGE = "平均分（5分制）" / "Average (of 5)";
        SV_COL_RECTIFY = "需整改" / "To rectify";
        SV_COL_ON_TIME = "按期整改 / 已整改" / "Rectified on time / rectified";
        SV_INACTIVE = "已停用" / "No longer offered";
        SV_NEW = "新增政务服务" / "Add a service";
        SV_EDIT = "修改服务信息" / "Change the service";
        SV_SAVE = "保存服务" / "Save the service";
        SV_F_CODE = "服务代码" / "Code";
        SV_F_CODE_HINT = "字母、数字、-、_ 或 .；代码已存在时修改该服务" / "Letters, digits, -, _ or .; an existing code changes that service";
        SV_F_NAME_ZH = "中文名称" / "Name in Chinese";
        SV_F_NAME_EN = "英文名称" / "Name in English";
        SV_F_DESC_ZH = "中文说明" / "Description in Chinese";
        SV_F_DESC_EN = "英文说明" / "Description in English";
        SV_F_ACTIVE = "接受评价" / "Open for ratings";
        SV_RATE = "评价这项服务" / "Rate this service";
        SV_RATE_HINT = "每个办件编号可评价一次，7 天内可以修改。评价“不满意”或“非常不满意”会转给部门整改；您的意见只有部门能看到。" / "One rating per case or reference number, changeable for 7 days. A dissatisfied rating goes to the department to rectify; only the department reads your comment.";
        SV_RATED = "评价已提交，谢谢！" / "Thank you: your rating is saved.";
        SV_F_REFERENCE = "办件编号" / "Case or reference number";
        SV_F_REFERENCE_HINT = "可选，例如受理单上的编号" / "Optional, e.g. the number on your receipt";
        SV_SIGN_IN = "登录后可以评价这项服务。" / "Sign in to rate this service.";
        SV_OWN = "您的评价" / "Your ratings";
        SV_DONE_TITLE = "部门整改情况" / "What the department did";
        SV_DONE_NONE = "暂无整改记录。" / "Nothing rectified yet.";
        SV_RECTIFY_TITLE = "待整改的服务评价" / "Service ratings to rectify";
        SV_RECTIFY_NONE = "没有需要整改的评价。" / "Nothing to rectify.";
        SV_F_DONE = "整改情况（公开）" / "What was done (public)";
        SV_F_DONE_HINT = "说明部门采取了哪些措施；会公开在服务页面，并通知评价人" / "Say what the department did; shown on the service's page and told to the rater";
        SV_RECORD = "提交整改情况" / "Record it";
        R_RATINGS = "办理满意度评价" / "How the reporter rated the handling";
        R_ROUND = "第" / "Round";
        R_RECTIFY = "评价不满意，已要求整改" / "Rated poorly: sent back for rectification";
        R_DUE = "整改期限" / "due";
        R_DONE = "整改办结于" / "rectified";
        R_ON_TIME = "按期整改" / "on time";
        R_LATE = "超期整改" / "late";
        R_IN_PROGRESS = "整改中" / "being rectified";
        R_RATE = "评价办理结果" / "Rate how your report was handled";
        R_RATE_AGAIN = "整改已办结，请再次评价" / "Rectified: rate it again";
        R_RATE_CHANGE = "修改您的评价" / "Change your rating";
        R_RATE_HINT = "评价后 7 天内可以修改，公众只看到评价等级。选择“不满意”或“非常不满意”会把问题退回部门整改，您的意见作为整改理由公开在办理记录中；整改期限（工作日）：" / "You can change your rating for 7 days; the public sees only the level. Rating it dissatisfied or very dissatisfied sends the report back to the department for rectification, with your comment as the reason on the public timeline; working days to rectify:";
        Q_RATED = "提问人评价" / "The asker's rating";
        Q_NOT_RATED_DIM = "不评" / "No rating";
        LEVEL_VERY_SATISFIED = "非常满意" / "Very satisfied";
        LEVEL_SATISFIED = "满意" / "Satisfied";
        LEVEL_BASIC = "基本满意" / "Fairly satisfied";
        LEVEL_DISSATISFIED = "不满意" / "Dissatisfied";
        LEVEL_VERY_DISSATISFIED = "非常不满意" / "Very dissatisfied";
        DEPTS_TITLE = "各部门答复情况" / "How departments answer";
        DEPTS_Q_INTRO = "每个部门收到的公开提问、答复率、按期答复、答复用时中位数、当前超期数和提问人的平均评价。" / "For each department: public questions received, answer rate, answers on time, median time to answer, overdue now, and the askers' average rating.";
        DEPT_COL_NAME = "部门" / "Department";
        DEPT_COL_RECEIVED = "收到" / "Received";
        DEPT_COL_ANSWERED = "已答复" / "Answered";
        DEPT_COL_RATE = "答复率" / "Answer rate";
        DEPT_COL_ON_TIME = "按期答复" / "On time";
        DEPT_COL_MEDIAN = "答复用时中位数" / "Median time to answer";
        DEPT_COL_OVERDUE = "超期未答" / "Overdue now";
        DEPT_COL_RATING = "平均评价（5 分制）" / "Average rating (of 5)";
        DEPT_COL_DAYS = "答复期限" / "Deadline";
        DEPT_WORKING_DAYS = "个工作日" / "working days";
        DEPT_RATINGS = "条评价" / "ratings";
        DEPT_UNANSWERED = "等待答复的提问" / "Questions waiting for an answer";
        DEPT_ANSWERED = "最近答复的提问" / "Recently answered";
        DEPT_ALL = "全部部门" / "All departments";
        DAYS_SHORT = "天" / "d";
        HOURS_SHORT = "小时" / "h";
        MINUTES_SHORT = "分钟" / "min";
        ADMIN_DEADLINES = "答复期限与节假日" / "Deadlines and holidays";
        ADMIN_DEADLINES_INTRO = "每个部门答复提问的工作日数（默认 5 个），以及计算期限时跳过的节假日和调休上班的周末。" / "How many working days each department has to answer a question (5 unless set), and the holidays skipped and weekend days worked when counting.";
        F_ANSWER_DAYS = "工作日" / "Working days";
        CAL_DAYS = "节假日与调休" / "Holidays and worked weekends";
        CAL_NONE = "还没有设置节假日。" / "No holidays set yet.";
        CAL_ADD = "添加日期" / "Add a date";
        F_DAY = "日期" / "Date";
        F_DAY_KIND = "类型" / "Kind";
        F_DAY_NAME = "名称（可选）" / "Name (optional)";
        CAL_HOLIDAY = "节假日（不上班）" / "Holiday (no work)";
        CAL_WORKDAY = "调休上班" / "Worked weekend day";
        REMOVE = "删除" / "Remove";
        LIVE_TITLE = "网络问政直播" / "Live Q&A sessions";
        LIVE_INTRO = "部门负责人在约定时间在线答复：提问、给想先听到答复的问题投票，排名和答复实时更新。" / "A department answers online at a set time: ask, vote for the questions you most want answered, and watch the ranking and the answers update live.";
        LIVE_NONE = "近期没有直播安排。" / "No sessions are coming up.";
        LIVE_ARCHIVE = "往期直播" / "Past sessions";
        LIVE_UPCOMING = "即将开始" / "Coming up";
        LIVE_NOW = "直播中" / "Live now";
        LIVE_ARCHIVED = "已结束" / "Ended";
        LIVE_CANCELLED = "已取消" / "Called off";
        LIVE_CANCELLED_NOTE = "这场直播已取消：" / "This session was called off:";
        LIVE_CHANGE = "修改直播安排" / "Change the session";
        LIVE_CHANGE_SUBMIT = "保存修改" / "Save the changes";
        LIVE_CANCEL = "取消直播" / "Call the session off";
        LIVE_F_CANCEL_NOTE = "取消原因（公开）" / "Why (shown publicly)";
        LIVE_CANCEL_HINT = "直播开始前才能取消；原因会显示在直播页面上" / "Only before the session starts; the reason is shown on its page";
        LIVE_CANCEL_SUBMIT = "确认取消直播" / "Call it off";
        LIVE_QUESTIONS = "个提问" / "questions";
        LIVE_SCHEDULE = "安排一场直播" / "Schedule a session";
        LIVE_F_TITLE = "主题" / "Title";
        LIVE_F_DESCRIPTION = "简介（可选）" / "Description (optional)";
        LIVE_F_STARTS = "开始时间" / "Starts";
        LIVE_F_ENDS = "结束时间" / "Ends";
        LIVE_SCHEDULE_SUBMIT = "安排直播" / "Schedule";
        LIVE_READ_ONLY = "直播已结束，以下为存档，不能再提问或投票。" / "This session has ended: below is its archive; questions and votes are closed.";
        LIVE_NOT_YET = "直播尚未开始，开始后可以提问和投票。" / "The session has not started yet; questions and votes open when it does.";
        LIVE_CONNECTED = "实时更新中" / "Updating live";
        LIVE_RECONNECTING = "连接中断，正在重新连接……" / "Connection lost; reconnecting…";
        LIVE_ERROR = "没有成功，请重试。" / "That did not work; please try again.";
        LIVE_SIGN_IN = "登录后可以提问和投票。" / "Sign in to ask and vote.";
        LIVE_F_QUESTION = "您的问题" / "Your question";
        LIVE_SUBMIT = "提问" / "Ask";
        LIVE_RANKING = "问题排行" / "Questions, most wanted first";
        LIVE_NO_QUESTIONS = "还没有人提问。" / "No questions yet.";
        LIVE_VOTES = "票" / "votes";
        LIVE_VOTE = "想听答复" / "Upvote";
        LIVE_VOTED = "已投票" / "Upvoted";
        LIVE_ANSWERING = "正在答复" / "Being answered now";
        LIVE_ANSWERED = "已答复" / "Answered";
        LIVE_MARK_ANSWERING = "标记为正在答复" / "Answering this now";
        LIVE_F_ANSWER = "答复" / "Answer";
        LIVE_ANSWER_SUBMIT = "发布答复" / "Publish the answer";
        P_NOT_A_DATE_TIME = "请填写日期和时间。" / "Enter a date and time.";
        P_NOT_STARTED = "直播还没有开始。" / "The session has not started yet.";
        P_SESSION_OVER = "直播已经结束。" / "The session has ended.";
        P_NOT_A_MONTH = "请输入月份，格式为 年-月（例如 2026-03）。" / "Enter a month as YYYY-MM (for example 2026-03).";
        P_BEFORE_START = "结束日期不能早于开始日期。" / "The end cannot be before the start.";
        P_BAD_CODE = "只能用字母、数字、下划线、连字符或点，最多 40 个字符。" / "Use letters, digits, underscores, hyphens or dots, at most 40 characters.";
        REASON_SPAM = "垃圾广告" / "Spam";
        REASON_ABUSE = "辱骂、骚扰或威胁" / "Abuse, harassment or threats";
        REASON_PERSONAL_DATA = "泄露个人信息" / "Personal data";
        REASON_OFF_TOPIC = "与主题无关" / "Off topic";
        REASON_OTHER = "其他" / "Other";
        CAUSE_FLAGS = "用户举报" / "Flagged by residents";
        CAUSE_PREMODERATION = "先审后发" / "Pre-moderation";
        CAUSE_WORD_LIST = "命中屏蔽词" / "Matched the word list";
        CAUSE_NEW_ACCOUNT = "新账号的前几条发言" / "A new account's first posts";
        CAUSE_APPEAL = "作者申诉" / "Appealed by its author";
        ACT_HOLD = "暂缓显示，等待审核" / "Held for review";
        ACT_APPROVE = "审核通过" / "Approved";
        ACT_HIDE = "隐藏" / "Hidden";
        ACT_RESTORE = "恢复显示" / "Restored";
        ACT_DISMISS = "驳回举报" / "Flags dismissed";
        ACT_LOCK = "锁定讨论" / "Locked";
        ACT_UNLOCK = "解除锁定" / "Unlocked";
        ACT_BLUR = "模糊照片" / "Photo blurred";
        ACT_UNBLUR = "取消模糊" / "Blur removed";
        ACT_UPHOLD = "申诉驳回，维持隐藏" / "Appeal refused: stays hidden";
        ACT_SUSPEND = "暂停发言" / "Suspended from posting";
        ACT_BAN = "永久禁言" / "Banned";
        ACT_LIFT = "解除暂停" / "Suspension lifted";
        DO_HIDE = "隐藏" / "Hide";
        DO_RESTORE = "恢复显示" / "Restore";
        DO_APPROVE = "通过" / "Approve";
        DO_DISMISS = "驳回举报" / "Dismiss flags";
        DO_LOCK = "锁定讨论" / "Lock discussion";
        DO_UNLOCK = "解除锁定" / "Unlock";
        DO_BLUR = "模糊照片" / "Blur photo";
        DO_UNBLUR = "取消模糊" / "Remove blur";
        DO_UPHOLD = "驳回申诉" / "Refuse appeal";
        KIND_COMMENT = "评论" / "Comment";
        KIND_PROPOSAL = "建议" / "Proposal";
        KIND_REPORT = "问题反映" / "Report";
        KIND_PHOTO = "照片" / "Photo";
        KIND_ACCOUNT = "账号" / "Account";
        FLAG = "举报" / "Flag";
        FLAG_LEGEND = "举报的原因" / "Why should moderators look at this?";
        FLAG_NOTE = "补充说明（选“其他”时必填）" / "More detail (required for “Other”)";
        FLAG_SUBMIT = "提交举报" / "Send to moderators";
        FLAGGED = "已举报，版主会处理" / "Flagged: moderators will look";
        HIDDEN_OWN_NOTE = "被隐藏的内容只有您能看到。" / "Only you can see the hidden text.";
        APPEAL = "申诉" / "Appeal";
        APPEAL_BODY = "为什么应该恢复这条内容？" / "Why should it be shown again?";
        APPEAL_HINT = "每条内容只能申诉一次，由另一位版主或管理员复核。" / "You can appeal once; another moderator or an admin will review it.";
        APPEAL_SUBMIT = "提交申诉" / "Send appeal";
        APPEALED = "已申诉，等待复核。" / "Appealed: waiting for review.";
        THREAD_LOCKED = "版主已锁定这个讨论串。" / "Moderators locked this thread.";
        DISCUSSION_LOCKED = "版主已锁定这里的讨论，不能再发表评论。" / "Moderators locked this discussion: no new comments.";
        NAV_MODERATION = "审核" / "Moderation";
        MOD_QUEUE_TITLE = "审核队列" / "Review queue";
        MOD_QUEUE_INTRO = "被举报、被规则暂缓或被申诉的内容，最早的在前。操作前请先“认领”，避免两位版主同时处理同一条。" / "Flagged, held and appealed items, oldest first. Claim an item before acting so that two moderators never work on it at once.";
        MOD_QUEUE_EMPTY = "队列是空的，没有待审核的内容。" / "The queue is empty: nothing waits for review.";
        MOD_CAUSE = "原因" / "Why it is here";
        MOD_STATE = "目前状态" / "Now";
        MOD_AUTHOR = "作者" / "Author";
        MOD_AUTHOR_HIDDEN = "此前被隐藏的内容" / "Items hidden before";
        MOD_AUTHOR_SUSPENDED = "正在暂停发言" / "Suspended now";
        MOD_FLAGS = "举报" / "Flags";
        MOD_APPEAL = "作者的申诉" / "The author's appeal";
        MOD_CLAIMED_BY = "正在审核：" / "Being reviewed by ";
        MOD_CLAIMED_BY_ME = "您已认领，10 分钟内有效。" / "You claimed it (for 10 minutes).";
        MOD_CLAIM = "认领" / "Claim";
        MOD_CONTEXT = "在原处查看" / "Read it in context";
        MOD_DECIDE = "处理" / "Decide";
        MOD_ACTION = "操作" / "Action";
        MOD_REASON = "原因（隐藏时必填）" / "Reason (required to hide)";
        MOD_NOTE = "公开说明" / "Public note";
        MOD_NOTE_HINT = "会显示在占位提示和公开审核记录中，请勿写入个人信息。" / "Shown on the tombstone and in the public log: no personal data.";
        MOD_APPLY = "执行" / "Apply";
        MOD_DONE = "已处理。" / "Done.";
        VIS_VISIBLE = "公开" / "Public";
        VIS_HELD = "待审核（不公开）" / "Held (not public)";
        VIS_HIDDEN = "已隐藏" / "Hidden";
        LOCKED = "已锁定" / "Locked";
        BLURRED = "已模糊" / "Blurred";
        SUSPEND_TITLE = "暂停作者发言" / "Suspend the author from posting";
        SUSPEND_DAYS = "天数" / "Days";
        SUSPEND_DAYS_HINT = "1 到 365 天。管理员留空即为永久禁言。" / "1 to 365 days. Admins may leave it empty to ban.";
        SUSPEND_NOTE = "说明（告诉用户原因）" / "Note (told to the user)";
        SUSPEND_SUBMIT = "暂停发言" / "Suspend";
        LIFT_SUSPENSION = "解除暂停" / "Lift suspension";
        MOD_LOG_TITLE = "公开审核记录" / "Public moderation log";
        MOD_LOG_INTRO = "版主和自动规则的每一次操作都记录在这里：内容类型、操作、原因、时间和执行者。被隐藏的文字和作者不会公开。" / "Every action by moderators and automatic rules is listed here: the kind of content, the action, the reason, the time and who acted. Hidden text and authors are never shown.";
        MOD_LOG_EMPTY = "还没有审核记录。" / "No moderation actions yet.";
        LOG_WHAT = "内容" / "Content";
        LOG_ACTION = "操作" / "Action";
        LOG_REASON = "原因" / "Reason";
        LOG_WHO = "执行者" / "By";
        LOG_WHEN = "时间" / "When";
        LOG_AUTOMATIC = "自动规则" / "Automatic rule";
        LOG_DAYS = "天" / "days";
        LOG_OLDER = "更早的记录" / "Older entries";
        LOG_NEWEST = "最新记录" / "Newest entries";
        MOD_SETTINGS_TITLE = "审核设置" / "Moderation settings";
        MOD_RULES = "由配置决定的规则" / "Rules set in the configuration";
        MOD_RULE_FLAGS = "被举报多少次后自动暂缓显示" / "Flags that hold an item automatically";
        MOD_RULE_NEW = "新账号的前几条发言先审后发" / "First posts of a new account held for review";
        MOD_RULE_OFF = "未启用" / "Off";
        WORDS_TITLE = "屏蔽词" / "Word list";
        WORDS_HINT = "含有这些词语的发言会先进入审核队列（不区分大小写）。" / "Posts containing any of these words or phrases wait for review (case does not matter).";
        WORD = "词语" / "Word or phrase";
        WORD_ADD = "添加" / "Add";
        WORD_REMOVE = "删除" / "Remove";
        WORDS_EMPTY = "屏蔽词表是空的。" / "The word list is empty.";
        MODE_POST = "先发后审" / "Post-moderation";
        MODE_PRE = "先审后发" / "Pre-moderation";
        MODE_QA = "问政提问的审核方式" / "Moderation of questions to departments";
        MODE_PROCESSES = "各议事的审核方式" / "Moderation of each process";
        MODE_SET = "设置" / "Set";
        NOTIF_MOD_HIDDEN = "版主隐藏了您发布的内容（点开查看原因，可申诉一次）" / "Moderators hid something you posted (open it to see why; you can appeal once)";
        NOTIF_MOD_RESTORED = "您的内容已恢复显示" / "Your content is shown again";
        NOTIF_MOD_UPHELD = "您的申诉未通过，内容仍保持隐藏" / "Your appeal was refused: the content stays hidden";
        REPORT_TEXT_HIDDEN = "问题描述已被版主隐藏。原因：" / "The description was hidden by moderators. Reason: ";
        REPORT_TEXT_WITHHELD = "描述暂不公开（审核中或已被版主隐藏）。" / "Description not shown (under review or hidden by moderators).";
        REPORT_TEXT_HELD = "问题描述正在等待审核，暂不公开。" / "The description awaits review and is not public for now.";
        SUSPENDED_USERS = "正在暂停发言的用户" / "Users suspended from posting";
        SUSPENDED_NONE = "目前没有被暂停发言的用户。" / "Nobody is suspended right now.";
        SUSPENDED_TITLE = "您已被暂停发言" / "You are suspended from posting";
        SUSPENDED_UNTIL = "截止时间：" / "Until: ";
        SUSPENDED_BANNED = "永久禁言" / "Banned";
        SUSPENDED_REASON = "原因：" / "Reason: ";
        SUSPENDED_READ = "在此期间您仍可以浏览所有内容。" / "You can still read everything.";
    }
}

/// The display name of a role.
pub fn role_name(role: gongzhi_domain::model::Role) -> Msg {
    use gongzhi_domain::model::Role;
    match role {
        Role::Resident => msg::ROLE_RESIDENT,
        Role::Moderator => msg::ROLE_MODERATOR,
        Role::Official => msg::ROLE_OFFICIAL,
        Role::Admin => msg::ROLE_ADMIN,
    }
}

/// The name of a flag or hiding reason.
pub fn reason_name(r: gongzhi_domain::model::moderation::Reason) -> Msg {
    use gongzhi_domain::model::moderation::Reason as R;
    match r {
        R::Spam => msg::REASON_SPAM,
        R::Abuse => msg::REASON_ABUSE,
        R::PersonalData => msg::REASON_PERSONAL_DATA,
        R::OffTopic => msg::REASON_OFF_TOPIC,
        R::Other => msg::REASON_OTHER,
    }
}

/// Why an item is in the review queue.
pub fn cause_name(c: gongzhi_domain::model::moderation::Cause) -> Msg {
    use gongzhi_domain::model::moderation::Cause as C;
    match c {
        C::Flags => msg::CAUSE_FLAGS,
        C::Premoderation => msg::CAUSE_PREMODERATION,
        C::WordList => msg::CAUSE_WORD_LIST,
        C::NewAccount => msg::CAUSE_NEW_ACCOUNT,
        C::Appeal => msg::CAUSE_APPEAL,
    }
}

/// A moderation action as the log says it.
pub fn action_name(a: gongzhi_domain::model::moderation::Action) -> Msg {
    use gongzhi_domain::model::moderation::Action as A;
    match a {
        A::Hold => msg::ACT_HOLD,
        A::Approve => msg::ACT_APPROVE,
        A::Hide => msg::ACT_HIDE,
        A::Restore => msg::ACT_RESTORE,
        A::Dismiss => msg::ACT_DISMISS,
        A::Lock => msg::ACT_LOCK,
        A::Unlock => msg::ACT_UNLOCK,
        A::Blur => msg::ACT_BLUR,
        A::Unblur => msg::ACT_UNBLUR,
        A::Uphold => msg::ACT_UPHOLD,
        A::Suspend => msg::ACT_SUSPEND,
        A::Ban => msg::ACT_BAN,
        A::Lift => msg::ACT_LIFT,
    }
}

/// The button that takes a moderation action.
pub fn action_button(a: gongzhi_domain::model::moderation::Action) -> Msg {
    use gongzhi_domain::model::moderation::Action as A;
    match a {
        A::Hide => msg::DO_HIDE,
        A::Restore => msg::DO_RESTORE,
        A::Approve => msg::DO_APPROVE,
        A::Dismiss => msg::DO_DISMISS,
        A::Lock => msg::DO_LOCK,
        A::Unlock => msg::DO_UNLOCK,
        A::Blur => msg::DO_BLUR,
        A::Unblur => msg::DO_UNBLUR,
        A::Uphold => msg::DO_UPHOLD,
        other => action_name(other),
    }
}

/// The name of a kind of moderated content.
pub fn kind_name(k: gongzhi_domain::model::moderation::ItemKind) -> Msg {
    use gongzhi_domain::model::moderation::ItemKind as K;
    match k {
        K::Comment => msg::KIND_COMMENT,
        K::Proposal => msg::KIND_PROPOSAL,
        K::Report => msg::KIND_REPORT,
        K::Photo => msg::KIND_PHOTO,
        K::Account => msg::KIND_ACCOUNT,
        K::Question => msg::KIND_QUESTION,
        K::QuestionComment => msg::KIND_QUESTION_COMMENT,
        K::QuestionFollowUp => msg::KIND_QUESTION_FOLLOW_UP,
        K::LiveQuestion => msg::KIND_LIVE_QUESTION,
    }
}

/// A question's status.
pub fn question_status_name(s: gongzhi_domain::model::question::Status) -> Msg {
    use gongzhi_domain::model::question::Status as S;
    match s {
        S::Routing => msg::Q_STATUS_ROUTING,
        S::Open => msg::Q_STATUS_OPEN,
        S::LookingInto => msg::Q_STATUS_LOOKING,
        S::Answered => msg::Q_STATUS_ANSWERED,
    }
}

/// What happened to a question, as its timeline says it.
pub fn question_event_name(e: gongzhi_domain::model::question::EventKind) -> Msg {
    use gongzhi_domain::model::question::EventKind as E;
    match e {
        E::Asked => msg::Q_EV_ASKED,
        E::Published => msg::Q_EV_PUBLISHED,
        E::Routed => msg::Q_EV_ROUTED,
        E::HandedOver => msg::Q_EV_HANDED_OVER,
        E::LookingInto => msg::Q_EV_LOOKING,
        E::Answered => msg::Q_EV_ANSWERED,
        E::AnswerEdited => msg::Q_EV_EDITED,
        E::FollowUp => msg::Q_EV_FOLLOW_UP,
    }
}

/// A satisfaction level.
pub fn level_name(l: gongzhi_domain::model::rating::Level) -> Msg {
    use gongzhi_domain::model::rating::Level as L;
    match l {
        L::VerySatisfied => msg::LEVEL_VERY_SATISFIED,
        L::Satisfied => msg::LEVEL_SATISFIED,
        L::Basic => msg::LEVEL_BASIC,
        L::Dissatisfied => msg::LEVEL_DISSATISFIED,
        L::VeryDissatisfied => msg::LEVEL_VERY_DISSATISFIED,
    }
}

/// The name of a deliberation phase.
pub fn phase_name(phase: gongzhi_domain::model::deliberation::Phase) -> Msg {
    use gongzhi_domain::model::deliberation::Phase as P;
    match phase {
        P::Upcoming => msg::PHASE_UPCOMING,
        P::Information => msg::PHASE_INFORMATION,
        P::Proposals => msg::PHASE_PROPOSALS,
        P::Discussion => msg::PHASE_DISCUSSION,
        P::Decision => msg::PHASE_DECISION,
        P::Closed => msg::PHASE_CLOSED,
    }
}

/// The name of the department's answer on a proposal.
pub fn outcome_name(outcome: gongzhi_domain::model::deliberation::Outcome) -> Msg {
    use gongzhi_domain::model::deliberation::Outcome as O;
    match outcome {
        O::Accepted => msg::OUTCOME_ACCEPTED,
        O::Rejected => msg::OUTCOME_REJECTED,
        O::UnderStudy => msg::OUTCOME_UNDER_STUDY,
        O::Implemented => msg::OUTCOME_IMPLEMENTED,
    }
}

/// The name of a case stage (back office).
pub fn stage_name(stage: gongzhi_domain::model::case::Stage) -> Msg {
    use gongzhi_domain::model::case::Stage as S;
    match stage {
        S::New => msg::ST_NEW,
        S::Accepted => msg::ST_ACCEPTED_CASE,
        S::Registered => msg::ST_REGISTERED,
        S::Dispatched => msg::ST_DISPATCHED,
        S::Handled => msg::ST_HANDLED,
        S::Verified => msg::ST_VERIFIED,
        S::Closed => msg::ST_CLOSED_CASE,
        S::Declined => msg::ST_DECLINED,
    }
}

/// What a workflow step did, as a timeline entry says it.
pub fn step_done(step: gongzhi_domain::model::case::Step) -> Msg {
    use gongzhi_domain::model::case::Step as S;
    match step {
        S::Accept => msg::STEP_ACCEPT,
        S::Register => msg::STEP_REGISTER,
        S::Decline => msg::STEP_DECLINE,
        S::Dispatch => msg::STEP_DISPATCH,
        S::Return => msg::STEP_RETURN,
        S::Handle => msg::STEP_HANDLE,
        S::Verify => msg::STEP_VERIFY,
        S::VerifyFailed => msg::STEP_VERIFY_FAILED,
        S::Close => msg::STEP_CLOSE,
        S::Note => msg::STEP_NOTE,
    }
}

/// The button that takes a workflow step.
pub fn step_button(step: gongzhi_domain::model::case::Step) -> Msg {
    use gongzhi_domain::model::case::Step as S;
    match step {
        S::Accept => msg::DO_ACCEPT,
        S::Register => msg::DO_REGISTER,
        S::Decline => msg::DO_DECLINE,
        S::Dispatch => msg::DO_DISPATCH,
        S::Return => msg::DO_RETURN,
        S::Handle => msg::DO_HANDLE,
        S::Verify => msg::DO_VERIFY,
        S::VerifyFailed => msg::DO_VERIFY_FAILED,
        S::Close => msg::DO_CLOSE,
        S::Note => msg::DO_NOTE,
    }
}

/// A department's name in lists that reach back in time, marked when it was retired.
pub fn marked_department_name(d: &gongzhi_domain::model::Department, lang: Lang) -> String {
    if d.retired {
        format!("{}{}", d.name(lang), msg::RETIRED_MARK.get(lang))
    } else {
        d.name(lang).to_string()
    }
}

/// What retiring a department moved, in a sentence.
pub fn moved_summary(m: &gongzhi_domain::model::Moved, lang: Lang) -> String {
    let parts: [(u64, &str, &str); 9] = [
        (m.reports, "件案件", "cases"),
        (m.questions, "个提问", "questions"),
        (m.officials, "名官员", "officials"),
        (m.categories, "个问题类别", "categories"),
        (m.grids, "个网格", "grids"),
        (m.services, "项服务", "services"),
        (m.processes, "个征集", "processes"),
        (m.live_sessions, "场直播", "live sessions"),
        (m.rectifications, "项整改", "rectifications"),
    ];
    match lang {
        Lang::Zh => format!(
            "部门已撤销。移交给接手部门：{}。",
            parts.map(|(n, zh, _)| format!("{n} {zh}")).join("、")
        ),
        Lang::En => format!(
            "Department retired. Passed to its successor: {}.",
            parts.map(|(n, _, en)| format!("{n} {en}")).join(", ")
        ),
    }
}

/// The name of a report status.
pub fn status_name(status: gongzhi_domain::model::report::ReportStatus) -> Msg {
    use gongzhi_domain::model::report::ReportStatus as S;
    match status {
        S::Submitted => msg::ST_SUBMITTED,
        S::Accepted => msg::ST_ACCEPTED,
        S::InProgress => msg::ST_IN_PROGRESS,
        S::Resolved => msg::ST_RESOLVED,
        S::Closed => msg::ST_CLOSED,
        S::Rejected => msg::ST_REJECTED,
        S::Reopened => msg::ST_REOPENED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for m in msg::ALL {
            assert!(!m.zh.trim().is_empty() && !m.en.trim().is_empty(), "{m:?}");
            assert_ne!(m.zh, m.en, "untranslated: {m:?}");
        }
    }
}

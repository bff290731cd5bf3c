<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>About Moments Desk</source>
        <translation>关于朋友圈卖货台</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Moments Desk {version}&lt;/h3&gt;&lt;p&gt;Plan, prepare and track WeChat Moments selling for small shops.&lt;/p&gt;&lt;p&gt;Moments Desk never controls WeChat: it prepares each post and you publish it from your phone, so your account stays safe.&lt;/p&gt;&lt;p&gt;Data folder: {folder}&lt;br&gt;Database: {database}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;朋友圈卖货台 {version}&lt;/h3&gt;&lt;p&gt;为小店规划、准备并跟踪微信朋友圈卖货。&lt;/p&gt;&lt;p&gt;本软件从不操控微信：它帮你准备好每条朋友圈，由你在手机上亲自发布，账号更安全。&lt;/p&gt;&lt;p&gt;数据文件夹：{folder}&lt;br&gt;数据库：{database}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Shop data updated</source>
        <translation>店铺数据已升级</translation>
    </message>
    <message>
        <source>Your data was updated to work with this version of Moments Desk. A copy of the old data was saved first: {backup}</source>
        <translation>你的数据已升级以适配此版本的朋友圈卖货台。升级前已保存一份旧数据：{backup}</translation>
    </message>
</context>
<context>
    <name>AreaPage</name>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Your data is kept safely in this data folder; nothing here changes it.</source>
        <translation>你的数据安全保存在数据文件夹中，此页面不会改动任何数据。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Overview</source>
        <extracomment>Emitted once, after the first paint that shows real data (``--smoke`` waits for it).</extracomment>
        <translation>概览</translation>
    </message>
    <message>
        <source>Your shop is empty</source>
        <translation>店铺还是空的</translation>
    </message>
    <message>
        <source>Add your WeChat accounts, products and friend-customers to start planning Moments posts. To look around first, load a demo shop: it fills this data folder with a small clothing shop you can delete later.</source>
        <translation>添加你的微信号、商品和好友客户后，就可以开始规划朋友圈了。想先随便看看？可以载入示例店铺：它会在当前数据文件夹里生成一家小服装店的数据，之后可以删除。</translation>
    </message>
    <message>
        <source>Load demo shop</source>
        <translation>载入示例店铺</translation>
    </message>
    <message>
        <source>Products on sale</source>
        <translation>在售商品</translation>
    </message>
    <message>
        <source>Friend-customers</source>
        <translation>好友客户</translation>
    </message>
    <message>
        <source>Posts this week</source>
        <translation>本周朋友圈</translation>
    </message>
    <message>
        <source>Likes, comments and chats (7 days)</source>
        <translation>近 7 天点赞、评论和私聊</translation>
    </message>
    <message>
        <source>Orders awaiting payment</source>
        <translation>待付款订单</translation>
    </message>
    <message>
        <source>Coming up</source>
        <translation>即将发布</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>Nothing scheduled yet. Posts you plan will appear here.</source>
        <translation>还没有排期。规划好的朋友圈会显示在这里。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln in the catalogue</source>
        <translation>
            <numerusform>目录共 %Ln 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>WeChat accounts: %Ln</source>
        <translation>
            <numerusform>微信号 %Ln 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln already posted</source>
        <translation>
            <numerusform>已发 %Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load the overview</source>
        <translation>无法载入概览</translation>
    </message>
    <message>
        <source>Reading the database failed: {error}</source>
        <translation>读取数据库失败：{error}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New arrivals</source>
        <translation>上新</translation>
    </message>
    <message>
        <source>Promotion</source>
        <translation>促销</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Lifestyle</source>
        <translation>生活</translation>
    </message>
    <message>
        <source>Buyer feedback</source>
        <translation>买家反馈</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>已排期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待发布</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Moments Desk</source>
        <translation>朋友圈卖货台</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Everything you sell, with the pictures you will post.</source>
        <translation>你在卖的所有商品，以及要发到朋友圈的图片。</translation>
    </message>
    <message>
        <source>The product list, picture import, 九宫格 tools and CSV/Excel import arrive in the next release.</source>
        <translation>商品列表、图片导入、九宫格工具和 CSV/Excel 导入将在下一个版本提供。</translation>
    </message>
    <message numerus="yes">
        <source>Products in your catalogue: %Ln</source>
        <translation>
            <numerusform>商品目录共 %Ln 件商品</numerusform>
        </translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Your WeChat friends who buy: the heart of the shop.</source>
        <translation>在你这里买东西的微信好友，是店铺的根本。</translation>
    </message>
    <message>
        <source>Customer search (including pinyin), timelines, tags and the Taobao order import arrive in a coming release.</source>
        <translation>客户搜索（支持拼音）、客户时间线、标签和淘宝订单导入将在后续版本提供。</translation>
    </message>
    <message numerus="yes">
        <source>Friend-customers on record: %Ln</source>
        <translation>
            <numerusform>已记录好友客户 %Ln 位</numerusform>
        </translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Your weekly posting rhythm, without flooding friends&apos; feeds.</source>
        <translation>固定的每周发圈节奏，不刷屏。</translation>
    </message>
    <message>
        <source>The week and month planner, the post composer with a Moments preview and the anti-spam checks arrive in a coming release.</source>
        <translation>周/月排期视图、带朋友圈预览的编辑器以及防刷屏检查将在后续版本提供。</translation>
    </message>
    <message numerus="yes">
        <source>Posts on record: %Ln</source>
        <translation>
            <numerusform>已记录朋友圈 %Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Who liked, commented and asked under each post.</source>
        <translation>每条朋友圈下谁点了赞、谁评论、谁私聊了你。</translation>
    </message>
    <message>
        <source>Pasting likers and commenters, first-N allocation and draws arrive in a coming release.</source>
        <translation>粘贴点赞/评论名单、前 N 名分配和抽奖将在后续版本提供。</translation>
    </message>
    <message numerus="yes">
        <source>Likes, comments and chats on record: %Ln</source>
        <translation>
            <numerusform>已记录点赞、评论和私聊 %Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>From payment to shipping, every order in one place.</source>
        <translation>从付款到发货，所有订单一处管理。</translation>
    </message>
    <message>
        <source>The order list, status changes and packing lists arrive in a coming release.</source>
        <translation>订单列表、状态流转和发货单将在后续版本提供。</translation>
    </message>
    <message numerus="yes">
        <source>Orders on record: %Ln</source>
        <translation>
            <numerusform>已记录订单 %Ln 笔</numerusform>
        </translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Is selling in Moments working? What sells, and when.</source>
        <translation>朋友圈卖货效果如何？什么好卖，什么时候发最好。</translation>
    </message>
    <message>
        <source>Post performance, customer segments and weekly summaries arrive in a coming release. They will be computed from the records below.</source>
        <translation>朋友圈效果、客户分层和每周小结将在后续版本提供，并根据下面这些记录计算。</translation>
    </message>
    <message numerus="yes">
        <source>Posts available for reports: %Ln</source>
        <translation>
            <numerusform>可用于报表的朋友圈 %Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Sell in Moments, without the spam</source>
        <translation>朋友圈卖货，不刷屏</translation>
    </message>
    <message>
        <source>SQLite · {folder}</source>
        <translation>本机数据库 · {folder}</translation>
    </message>
    <message>
        <source>Shared database · {url}</source>
        <translation>共享数据库 · {url}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>前往(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About Moments Desk</source>
        <translation>关于朋友圈卖货台</translation>
    </message>
    <message>
        <source>Creating the demo shop…</source>
        <translation>正在生成示例店铺…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The demo shop can only be loaded into an empty shop.</source>
        <translation>示例店铺只能载入到空店铺中。</translation>
    </message>
    <message>
        <source>Demo shop not created</source>
        <translation>未生成示例店铺</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Preferences for this computer and where your shop&apos;s data lives.</source>
        <translation>本机偏好设置，以及店铺数据的存放位置。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>SQLite file in the data folder</source>
        <translation>数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>{version} (data format {schema})</source>
        <translation>{version}（数据格式 {schema}）</translation>
    </message>
    <message>
        <source>Saved. The new language is used the next time the app starts.</source>
        <translation>已保存。下次启动时使用新的界面语言。</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <source>Data folder not found</source>
        <translation>找不到数据文件夹</translation>
    </message>
    <message>
        <source>The data folder {path} does not exist, and neither does the folder it should be in. If it is on an external disk, connect the disk and start again; otherwise check the --data-dir you gave.</source>
        <translation>数据文件夹 {path} 不存在，它所在的上级文件夹也不存在。如果它在移动硬盘或U盘上，请先接上再重新启动；否则请检查 --data-dir 参数。</translation>
    </message>
    <message>
        <source>Data folder is a file</source>
        <translation>数据文件夹是一个文件</translation>
    </message>
    <message>
        <source>{path} is a file, not a folder. Choose another data folder with --data-dir.</source>
        <translation>{path} 是一个文件，不是文件夹。请用 --data-dir 指定其他数据文件夹。</translation>
    </message>
    <message>
        <source>Data folder is read-only</source>
        <translation>数据文件夹无法写入</translation>
    </message>
    <message>
        <source>Moments Desk cannot write to {path} ({detail}). Check the folder&apos;s permissions or choose another data folder with --data-dir.</source>
        <translation>朋友圈卖货台无法写入 {path}（{detail}）。请检查文件夹权限，或用 --data-dir 指定其他数据文件夹。</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>Already running</source>
        <translation>已在运行</translation>
    </message>
    <message>
        <source>Moments Desk is already open with the data folder {path}. Switch to that window (it may be in the system tray) instead of starting it twice.</source>
        <translation>朋友圈卖货台已经用数据文件夹 {path} 打开了。请切换到那个窗口（它可能在系统托盘里），不要重复启动。</translation>
    </message>
    <message>
        <source>Database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The database {path} cannot be read ({detail}). It has not been changed. Restore it from a backup in the backups folder, or ask for help before deleting it.</source>
        <translation>无法读取数据库 {path}（{detail}）。它没有被改动。请从备份文件夹中的备份恢复，删除前请先寻求帮助。</translation>
    </message>
    <message>
        <source>Database is from a newer version</source>
        <translation>数据库来自更新的版本</translation>
    </message>
    <message>
        <source>The database {path} was last opened by a newer version of Moments Desk (data format {revision}). Install the newest version to open it; this version will not touch it.</source>
        <translation>数据库 {path} 上次由更新版本的朋友圈卖货台打开（数据格式 {revision}）。请安装最新版本后再打开；当前版本不会改动它。</translation>
    </message>
    <message>
        <source>Not a Moments Desk database</source>
        <translation>不是朋友圈卖货台的数据库</translation>
    </message>
    <message>
        <source>The database {path} already holds other tables ({detail}) and was not made by Moments Desk. It has not been changed. Choose an empty database.</source>
        <translation>数据库 {path} 中已有其他数据表（{detail}），不是朋友圈卖货台创建的。它没有被改动。请选择一个空数据库。</translation>
    </message>
    <message>
        <source>Cannot reach the database</source>
        <translation>无法连接数据库</translation>
    </message>
    <message>
        <source>Could not connect to {path}: {detail}. Check that the server is running and the address, user name and password are right.</source>
        <translation>无法连接到 {path}：{detail}。请确认服务器正在运行，并检查地址、用户名和密码是否正确。</translation>
    </message>
    <message>
        <source>Database address not understood</source>
        <translation>无法识别数据库地址</translation>
    </message>
    <message>
        <source>{path} is not a database address Moments Desk can use. Write it like postgresql://user:password@host/database.</source>
        <translation>{path} 不是朋友圈卖货台可以使用的数据库地址。请按 postgresql://用户名:密码@主机/数据库 的格式填写。</translation>
    </message>
</context>
</TS>

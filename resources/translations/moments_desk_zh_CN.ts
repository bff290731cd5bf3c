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
        <source>Moments Desk · 朋友圈卖货台</source>
        <translation>朋友圈卖货台 · Moments Desk</translation>
    </message>
    <message>
        <source>Version {version} · data format {schema}</source>
        <translation>版本 {version} · 数据格式 {schema}</translation>
    </message>
    <message>
        <source>Plan, prepare and track WeChat Moments selling for small shops.</source>
        <translation>为小店规划、准备并跟进微信朋友圈卖货。</translation>
    </message>
    <message>
        <source>Moments Desk never controls WeChat: it prepares each post and you publish it from your phone, so your account stays safe.</source>
        <translation>朋友圈卖货台从不操控微信：它帮你准备好每条朋友圈，由你在手机上亲手发布，账号更安全。</translation>
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
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>SQLite file in the data folder</source>
        <translation>数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Built with</source>
        <translation>技术组件</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Versions and folders, to paste into a message when asking for help.</source>
        <translation>版本和文件夹位置，求助时可以粘贴到消息里。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <source>WeChat account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>e.g. 主号</source>
        <translation>例如：主号</translation>
    </message>
    <message>
        <source>the name friends see in Moments</source>
        <translation>好友在朋友圈里看到的名字</translation>
    </message>
    <message>
        <source>Name in this app</source>
        <translation>在本软件中的名称</translation>
    </message>
    <message>
        <source>WeChat nickname</source>
        <translation>微信昵称</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信号（ID）</translation>
    </message>
    <message>
        <source>WeChat accounts</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Each personal WeChat shows Moments to at most 5,000 friends; every customer belongs to one account.</source>
        <translation>每个个人微信的朋友圈最多对 5000 位好友可见；每位客户都属于其中一个微信号。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>添加微信号…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Give the account a name, e.g. 主号.</source>
        <extracomment>Share of the friend limit from which the app warns. the avatar&apos;s media path (the Moments preview shows it), None without one</extracomment>
        <translation>请给这个微信号起个名字，例如 主号。</translation>
    </message>
    <message>
        <source>The WeChat ID {wechat_id} is already one of your accounts.</source>
        <translation>微信号 {wechat_id} 已经在你的账号列表里了。</translation>
    </message>
    <message>
        <source>This account was removed meanwhile.</source>
        <translation>这个微信号刚刚已被删除。</translation>
    </message>
</context>
<context>
    <name>Allocation</name>
    <message>
        <source>This product was deleted meanwhile.</source>
        <extracomment>pieces free for this product after the allocation</extracomment>
        <translation>这件商品刚刚已被删除。</translation>
    </message>
    <message>
        <source>This size or colour was removed meanwhile.</source>
        <translation>这个颜色或尺码刚刚被删除了。</translation>
    </message>
    <message>
        <source>Each friend gets at least 1 piece, not {quantity_each}.</source>
        <translation>每位好友至少分 1 件，不能是 {quantity_each} 件。</translation>
    </message>
    <message>
        <source>First {limit} is not a number of friends.</source>
        <translation>“前 {limit} 位”不是有效的好友人数。</translation>
    </message>
    <message>
        <source>This product is not in the post.</source>
        <translation>这条朋友圈里没有这件商品。</translation>
    </message>
    <message>
        <source>Some of these places were removed meanwhile; reload the post.</source>
        <extracomment>product id → pieces free now product id → (size/colour label, pieces free) for products sold in several</extracomment>
        <translation>其中有些名额刚刚已被删除，请重新打开这条朋友圈。</translation>
    </message>
    <message>
        <source>Order {order_id} was already created for this place: cancel the order instead (the next friend then moves up).</source>
        <translation>这个名额已经生成了订单 {order_id}：请改为取消该订单（下一位好友会自动递补）。</translation>
    </message>
    <message>
        <source>No friend holds a place yet: allocate first.</source>
        <translation>还没有好友占到名额，请先分配。</translation>
    </message>
    <message>
        <source>A product of this post was deleted meanwhile.</source>
        <translation>这条朋友圈里的一件商品刚刚已被删除。</translation>
    </message>
    <message>
        <source>Another computer made orders from these places meanwhile; nothing was changed here.</source>
        <translation>另一台电脑刚刚已用这些名额下了单，这里没有做任何改动。</translation>
    </message>
</context>
<context>
    <name>AllocationPanel</name>
    <message>
        <source>Has a place</source>
        <translation>已占名额</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>候补中</translation>
    </message>
    <message>
        <source>Order created</source>
        <translation>已下单</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放弃</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>The size or colour to allocate (黑色 M); each has its own stock. With &quot;only order comments&quot; every comment goes to the size it names</source>
        <translation>要分配的颜色或尺码（如 黑色 M），每个都有自己的库存。勾选“只看下单评论”时，每条评论会分到它说的尺码</translation>
    </message>
    <message>
        <source>First</source>
        <translation>前</translation>
    </message>
    <message>
        <source> friends</source>
        <translation> 位好友</translation>
    </message>
    <message>
        <source>Pieces per friend</source>
        <translation>每位好友几件</translation>
    </message>
    <message>
        <source>then commenters</source>
        <translation>点赞之后算评论</translation>
    </message>
    <message>
        <source>only order comments</source>
        <translation>只看下单评论</translation>
    </message>
    <message>
        <source>Only friends whose comment reads as an order (+1, 扣1, 要一件, M码, 黑色L), in comment order</source>
        <translation>只排评论像下单的好友（+1、扣1、要一件、M码、黑色L），按评论先后</translation>
    </message>
    <message>
        <source>Allocate</source>
        <translation>分配名额</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Release selected places</source>
        <translation>放弃选中的名额</translation>
    </message>
    <message>
        <source>Create orders for everyone with a place</source>
        <translation>为占到名额的好友生成订单</translation>
    </message>
    <message>
        <source>{code} {name} · stock {stock}, free {free}</source>
        <translation>{code} {name} · 库存 {stock}，可分配 {free}</translation>
    </message>
    <message>
        <source>This post shows no product, so there is nothing to allocate.</source>
        <translation>这条朋友圈没有关联商品，无需分配名额。</translation>
    </message>
    <message>
        <source>{allocated} with a place · {waiting} waiting · {ordered} ordered · {released} released</source>
        <translation>占到名额 {allocated} · 候补 {waiting} · 已下单 {ordered} · 已放弃 {released}</translation>
    </message>
    <message>
        <source>{size}: {free} free</source>
        <translation>{size}：可分配 {free} 件</translation>
    </message>
    <message>
        <source>{free} pieces free now</source>
        <translation>当前可分配 {free} 件</translation>
    </message>
    <message>
        <source>%n new place(s) given</source>
        <translation>新分配 %n 个名额</translation>
    </message>
    <message>
        <source>; {free} pieces still free</source>
        <translation>；还剩 {free} 件可分配</translation>
    </message>
    <message>
        <source>No stock left</source>
        <translation>没有可分配的库存</translation>
    </message>
    <message>
        <source>Every free piece is already promised; friends wait in line and move up when a place is released or an order is cancelled.</source>
        <translation>可用库存都已分配出去；其余好友排队候补，有人放弃名额或取消订单时依次递补。</translation>
    </message>
    <message>
        <source>“{comment}”: {choices}?</source>
        <translation>“{comment}”：{choices}？</translation>
    </message>
    <message>
        <source>Ask which size</source>
        <translation>问问要哪个尺码</translation>
    </message>
    <message>
        <source>These comments could mean several sizes or colours; ask the friend, then allocate her size by hand:</source>
        <translation>这些评论可能指好几个颜色或尺码；请先问问好友，再手动分配她要的尺码：</translation>
    </message>
    <message>
        <source>Release places</source>
        <translation>放弃名额</translation>
    </message>
    <message>
        <source>Release %n place(s)? The next friends waiting move up.</source>
        <translation>放弃 %n 个名额？候补的好友将依次递补。</translation>
    </message>
    <message>
        <source>Create orders</source>
        <translation>生成订单</translation>
    </message>
    <message>
        <source>Create unpaid orders for the %n friend place(s) allocated?</source>
        <translation>为已占名额的 %n 位好友生成待付款订单？</translation>
    </message>
    <message>
        <source>%n order(s) created</source>
        <translation>已生成 %n 个订单</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>未修改</translation>
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
    <name>Archive</name>
    <message>
        <source>{name} does not exist</source>
        <translation>{name} 不存在</translation>
    </message>
    <message>
        <source>{name} is damaged or not a database ({summary})</source>
        <translation>{name} 已损坏或不是数据库（{summary}）</translation>
    </message>
    <message>
        <source>{name} is not a Moments Desk backup (no {MANIFEST_NAME})</source>
        <translation>{name} 不是朋友圈卖货台的备份（缺少 {MANIFEST_NAME}）</translation>
    </message>
    <message>
        <source>{name} is damaged or not a zip archive: {error}</source>
        <translation>{name} 已损坏或不是 zip 压缩包：{error}</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} is too large ({size} MB; at most {limit} MB)</source>
        <extracomment>~80,000 pictures&apos; worth of description; parsing it costs about ten times this in memory. Forty times the 50,000-customer benchmark shop (92 MB). A database or table file over ``_RATIO_FLOOR`` that deflates better than this is a bomb: real shops deflate about 3:1, zeros about 1000:1. All of tables/*.jsonl together (JSON is about twice the size of the SQLite file). The importers&apos; limit for one picture. One row of tables/*.jsonl: long notes fit, a line without end does not. Windows&apos; FILE_ATTRIBUTE_REPARSE_POINT: a link or junction made on Windows. Errors from reading damaged compressed data, as zipfile and zlib raise them.</extracomment>
        <translation>{name} 已拒绝：{entry} 太大（{size} MB；最多 {limit} MB）</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} is too large for its compressed size ({size} MB from {packed} MB)</source>
        <translation>{name} 已拒绝：{entry} 解压后大得不正常（由 {packed} MB 解压成 {size} MB）</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} is damaged ({detail})</source>
        <translation>{name} 已拒绝：{entry} 已损坏（{detail}）</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” is a link, not a file</source>
        <translation>{name} 已拒绝：“{entry}” 是一个链接，不是文件</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” is a device or pipe, not a file</source>
        <translation>{name} 已拒绝：“{entry}” 是设备或管道，不是文件</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” is encrypted with a password</source>
        <translation>{name} 已拒绝：“{entry}” 用密码加密了</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” is compressed in a way Moments Desk does not read</source>
        <translation>{name} 已拒绝：“{entry}” 的压缩方式朋友圈卖货台无法读取</translation>
    </message>
    <message>
        <source>it is larger than its zip header says</source>
        <translation>它比 zip 文件头中记录的大</translation>
    </message>
    <message>
        <source>its bytes fail their checksum</source>
        <translation>其内容未通过校验（CRC）</translation>
    </message>
    <message>
        <source>its compressed bytes are broken</source>
        <translation>其压缩数据已损坏</translation>
    </message>
    <message>
        <source>it is shorter than its zip header says</source>
        <translation>它比 zip 文件头中记录的小</translation>
    </message>
    <message>
        <source>{name}: the backup description is unreadable</source>
        <translation>{name}：备份说明无法读取</translation>
    </message>
    <message>
        <source>{name} is refused: it lists too many pictures</source>
        <translation>{name} 已拒绝：其中列出的图片太多</translation>
    </message>
    <message>
        <source>{name} is refused: the picture path “{entry}” in backup.json is unsafe (it could write outside the media folder)</source>
        <translation>{name} 已拒绝：backup.json 中的图片路径 “{entry}” 不安全（可能写到图片文件夹之外）</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” appears twice</source>
        <translation>{name} 已拒绝：“{entry}” 出现了两次</translation>
    </message>
    <message>
        <source>{name} is refused: it holds too many files</source>
        <translation>{name} 已拒绝：其中的文件太多</translation>
    </message>
    <message>
        <source>{name} holds no database</source>
        <translation>{name} 里没有数据库</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} is not listed in backup.json</source>
        <translation>{name} 已拒绝：{entry} 不在 backup.json 的清单中</translation>
    </message>
    <message>
        <source>{name} is refused: the size of {entry} ({size} bytes) differs from backup.json ({listed} bytes)</source>
        <translation>{name} 已拒绝：{entry} 的大小（{size} 字节）与 backup.json 中记录的（{listed} 字节）不一致</translation>
    </message>
    <message>
        <source>{name} was made by a newer Moments Desk (data format {revision}); update the app first</source>
        <translation>{name} 由更新版本的朋友圈卖货台创建（数据格式 {revision}），请先升级软件</translation>
    </message>
    <message>
        <source>{name}: the database inside is damaged ({summary})</source>
        <extracomment>What reading a hostile archive can raise besides ArchiveError: damaged zip data, JSON that is not what we wrote, rows the database refuses.</extracomment>
        <translation>{name}：里面的数据库已损坏（{summary}）</translation>
    </message>
    <message>
        <source>{name}: the database inside is damaged</source>
        <translation>{name}：里面的数据库已损坏</translation>
    </message>
    <message>
        <source>{name} needs {needed} MB of free disk space; {free} MB are free</source>
        <translation>{name} 需要 {needed} MB 的可用磁盘空间；目前只有 {free} MB</translation>
    </message>
    <message>
        <source>{name} is damaged too ({summary})</source>
        <translation>{name} 也已损坏（{summary}）</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” would be written outside {folder}</source>
        <translation>{name} 已拒绝：“{entry}” 会被写到 {folder} 之外</translation>
    </message>
    <message>
        <source>{name} is refused: “{entry}” is an unsafe name that could write outside the data folder</source>
        <translation>{name} 已拒绝：“{entry}” 是不安全的名称，可能写到数据文件夹之外</translation>
    </message>
    <message>
        <source>{name} is refused: the database inside does not match its own header</source>
        <translation>{name} 已拒绝：其中的数据库与它自己的文件头不符</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} does not match its description in backup.json</source>
        <translation>{name} 已拒绝：{entry} 与 backup.json 中的描述不符</translation>
    </message>
    <message>
        <source>{name} is refused: {entry} is not a picture Moments Desk can use ({reason})</source>
        <translation>{name} 已拒绝：{entry} 不是朋友圈卖货台能用的图片（{reason}）</translation>
    </message>
    <message>
        <source>{name} is not a Moments Desk database (it holds: {tables})</source>
        <extracomment>How many missing or foreign names a sentence lists.</extracomment>
        <translation>{name} 不是朋友圈卖货台的数据库（其中的表：{tables}）</translation>
    </message>
    <message>
        <source>{name} is incomplete for data format {revision}: {missing} missing</source>
        <translation>{name} 不完整（数据格式 {revision}）：缺少 {missing}</translation>
    </message>
    <message>
        <source>{name} holds tables, columns or triggers Moments Desk never made: {found}</source>
        <translation>{name} 含有朋友圈卖货台从未创建过的表、列或触发器：{found}</translation>
    </message>
    <message>
        <source>{name} is refused: it lists a picture at the unsafe path “{entry}”</source>
        <translation>{name} 已拒绝：其中列出的图片路径 “{entry}” 不安全</translation>
    </message>
    <message>
        <source>{name} cannot be read: {error}</source>
        <translation>无法读取 {name}：{error}</translation>
    </message>
    <message>
        <source>no SQLite header</source>
        <translation>没有 SQLite 文件头</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Sent for approval</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已发</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Rescheduled</source>
        <translation>改期</translation>
    </message>
    <message>
        <source>Reminder done</source>
        <translation>提醒已处理</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>（系统）</translation>
    </message>
    <message>
        <source>back to draft</source>
        <extracomment>What the core writes in a summary as English keys, in the seller&apos;s words.</extracomment>
        <translation>退回草稿</translation>
    </message>
    <message>
        <source>unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>%n entries</source>
        <translation>共 %n 条</translation>
    </message>
    <message>
        <source>Changed after approval: approval again</source>
        <translation>批准后又改动：需重新审批</translation>
    </message>
    <message>
        <source>Restored from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>小店</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>not a Moments Desk backup manifest</source>
        <extracomment>Snapshots taken before a migration or restore: how many of each kind stay. A manifest is a few hundred bytes per picture; a bigger file is not one of ours. Row counts shown to the seller before a restore (&quot;1,204 customers, 310 products ...&quot;).</extracomment>
        <translation>不是朋友圈卖货台的备份说明文件</translation>
    </message>
</context>
<context>
    <name>BackupCard</name>
    <message>
        <source>Backups and safety</source>
        <translation>备份与数据安全</translation>
    </message>
    <message>
        <source>Back up automatically while the app runs and when it closes</source>
        <translation>运行期间和关闭时自动备份</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>At most every</source>
        <translation>最多每隔</translation>
    </message>
    <message>
        <source>days (one a day)</source>
        <translation>天（每天一份）</translation>
    </message>
    <message>
        <source>weeks (one a week)</source>
        <translation>周（每周一份）</translation>
    </message>
    <message>
        <source>months (one a month)</source>
        <translation>个月（每月一份）</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>A backup is taken only when something changed, and always before an upgrade or a restore. Older ones are thinned to one per day, week and month.</source>
        <translation>只有数据有变化时才自动备份；升级和恢复之前一定会先备份。较早的备份会精简为每天、每周、每月各一份。</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Back up to…</source>
        <translation>备份到…</translation>
    </message>
    <message>
        <source>Restore from…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Check database</source>
        <translation>检查数据库</translation>
    </message>
    <message>
        <source>Open backups folder</source>
        <translation>打开备份文件夹</translation>
    </message>
    <message>
        <source>No backup yet.</source>
        <translation>还没有备份。</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>before an upgrade or restore</source>
        <translation>升级或恢复前</translation>
    </message>
    <message>
        <source>Newest backup: {date} ({kind}); {count} kept in the backups folder.</source>
        <translation>最近一次备份：{date}（{kind}）；备份文件夹里共保留 {count} 份。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up to {path}</source>
        <translation>已备份到 {path}</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>备份到</translation>
    </message>
    <message>
        <source>Moments Desk backups (*.zip)</source>
        <translation>朋友圈卖货台备份 (*.zip)</translation>
    </message>
    <message>
        <source>Backing up the shop and its pictures…</source>
        <translation>正在备份店铺数据和图片…</translation>
    </message>
    <message>
        <source>Backed up to {path} ({pictures} pictures).</source>
        <translation>已备份到 {path}（{pictures} 张图片）。</translation>
    </message>
    <message>
        <source>Backup not saved</source>
        <translation>备份未保存</translation>
    </message>
    <message>
        <source>The backup could not be written to {path}: {error}</source>
        <translation>无法把备份写入 {path}：{error}</translation>
    </message>
    <message>
        <source>Restore from</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Moments Desk backups (*.zip *.sqlite3)</source>
        <translation>朋友圈卖货台备份 (*.zip *.sqlite3)</translation>
    </message>
    <message>
        <source>Not a usable backup</source>
        <translation>不是可用的备份</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>正在恢复备份…</translation>
    </message>
    <message>
        <source>
{count} pictures were not in the backup.</source>
        <translation>
有 {count} 张图片不在备份里。</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
    <message>
        <source>The shop now holds the backup from {date}. The shop as it was before is saved as {path}.{missing}</source>
        <translation>店铺数据已恢复到 {date} 的备份。恢复前的数据已另存为 {path}。{missing}</translation>
    </message>
    <message>
        <source>Backup not restored</source>
        <translation>备份未恢复</translation>
    </message>
    <message>
        <source>Nothing was changed. {reason}</source>
        <translation>数据没有任何改动。{reason}</translation>
    </message>
    <message>
        <source>Checking every page of the database…</source>
        <translation>正在逐页检查数据库…</translation>
    </message>
    <message>
        <source>Database: no problems found.</source>
        <translation>数据库：未发现问题。</translation>
    </message>
    <message>
        <source>Database: damaged ({problems}). Restore a backup.</source>
        <translation>数据库：已损坏（{problems}）。请从备份恢复。</translation>
    </message>
    <message>
        <source>Pictures missing from the media folder: {count}</source>
        <translation>图片文件夹中缺少的图片：{count} 张</translation>
    </message>
    <message>
        <source>Pictures: all present.</source>
        <translation>图片：全部都在。</translation>
    </message>
    <message>
        <source>This shop is shared on a server: the server&apos;s own backups are the team&apos;s backups, so automatic copies on this laptop are off unless you turn them on. A restore replaces the shop for everyone and is announced on every laptop.</source>
        <translation>这家小店共享在服务器上：服务器自己的备份就是团队的备份，因此本机默认不自动备份，除非你在这里打开。恢复会替换所有人的小店数据，并通知每台电脑。</translation>
    </message>
    <message>
        <source>In a shared shop only an owner makes or restores backups.</source>
        <translation>共享小店中只有店主可以备份或恢复。</translation>
    </message>
</context>
<context>
    <name>BackupDialogs</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>Likes, comments and chats</source>
        <translation>点赞、评论和私聊</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>{name}: {value}</source>
        <translation>{name}：{value}</translation>
    </message>
    <message>
        <source>Restore this backup?</source>
        <translation>恢复这份备份？</translation>
    </message>
    <message>
        <source>Restore the backup made on {date}?</source>
        <translation>要恢复 {date} 的备份吗？</translation>
    </message>
    <message>
        <source>{source}
Made by Moments Desk {version} (data format {schema}). It holds:

{contents}

Everything in the shop now is replaced by it. A copy of the shop as it is now is saved in the backups folder first.</source>
        <translation>{source}
由朋友圈卖货台 {version} 创建（数据格式 {schema}）。其中包含：

{contents}

店铺现在的全部数据都会被它替换。替换前会先把现在的数据另存到备份文件夹。</translation>
    </message>
    <message>
        <source>Replace with this backup</source>
        <translation>用这份备份替换</translation>
    </message>
    <message>
        <source>Database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The shop&apos;s database failed its check and was not opened.</source>
        <translation>店铺数据库没有通过检查，已停止打开。</translation>
    </message>
    <message>
        <source>{database}
What the check found: {detail}

No good backup was found in the backups folder. The file has not been changed; ask for help before deleting it.</source>
        <translation>{database}
检查结果：{detail}

备份文件夹里没有找到完好的备份。数据库文件没有被改动；删除它之前请先寻求帮助。</translation>
    </message>
    <message>
        <source>{database}
What the check found: {detail}

The newest good backup was made on {date}:

{contents}

Restore it? Changes made after {date} are lost; the damaged file is kept in the backups folder.</source>
        <translation>{database}
检查结果：{detail}

最近一份完好的备份创建于 {date}：

{contents}

要恢复它吗？{date} 之后的改动会丢失；损坏的文件会保留在备份文件夹里。</translation>
    </message>
    <message>
        <source>Restore the backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>Birthdays</name>
    <message>
        <source>month {month} does not exist</source>
        <translation>没有 {month} 月</translation>
    </message>
    <message>
        <source>year {year} is out of range</source>
        <translation>{year} 年超出了可用范围</translation>
    </message>
    <message>
        <source>lunar day {day} does not exist</source>
        <translation>农历没有初 {day} 这一天</translation>
    </message>
    <message>
        <source>only lunar birthdays have leap months</source>
        <translation>只有农历生日才有闰月</translation>
    </message>
    <message>
        <source>{month}/{day} does not exist</source>
        <translation>{month}月{day}日不存在</translation>
    </message>
    <message>
        <source>lunar year {year} has no leap month {month}</source>
        <translation>农历{year}年没有闰{month}月</translation>
    </message>
    <message>
        <source>lunar {year} month {month} has only {days} days</source>
        <translation>农历{year}年{month}月只有 {days} 天</translation>
    </message>
    <message>
        <source>{text} is not a date; write 1990-03-05, 3月5日 or 农历三月初五</source>
        <translation>{text} 不是日期；请写成 1990-03-05、3月5日 或 农历三月初五</translation>
    </message>
    <message>
        <source>{text} is not a lunar date; write 农历三月初五 or 农历1990年3月5日</source>
        <translation>{text} 不是农历日期；请写成 农历三月初五 或 农历1990年3月5日</translation>
    </message>
    <message>
        <source>there is no leap month {month} in the lunar calendar</source>
        <translation>农历没有闰{month}月</translation>
    </message>
</context>
<context>
    <name>BuyerPhotos</name>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Remove photos</source>
        <translation>删除照片</translation>
    </message>
    <message>
        <source>%n photo(s) she sent</source>
        <translation>她发来的照片 %n 张</translation>
    </message>
    <message>
        <source>Photos she sent</source>
        <translation>她发来的照片</translation>
    </message>
</context>
<context>
    <name>BuyerShow</name>
    <message>
        <source>This customer was deleted meanwhile.</source>
        <extracomment>A 买家秀 shows at most nine pictures; more photos of one buyer would never be used.</extracomment>
        <translation>这位客户刚刚已被删除。</translation>
    </message>
    <message>
        <source>A customer keeps at most {limit} photos; she has {count}.</source>
        <translation>每位客户最多保存 {limit} 张照片；她已有 {count} 张。</translation>
    </message>
    <message>
        <source>A picture was removed meanwhile.</source>
        <translation>有图片刚刚已被删除。</translation>
    </message>
</context>
<context>
    <name>Cadence</name>
    <message>
        <source>Daily</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Products from</source>
        <translation>商品来源</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Weekly slots</source>
        <translation>每周发圈时段</translation>
    </message>
    <message>
        <source>Friends learn your rhythm, e.g. new arrivals every Tuesday and Thursday at 20:00 and a lifestyle post every day at 12:00. Plan 4 weeks fills these slots with drafts.</source>
        <translation>固定节奏让好友形成期待，比如每周二、四晚 8 点上新，每天中午 12 点发一条生活圈。“规划 4 周”会用草稿填满这些时段。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>e.g. 周二上新</source>
        <translation>例如：周二上新</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>文案模板</translation>
    </message>
    <message>
        <source>New slot</source>
        <translation>新建时段</translation>
    </message>
    <message>
        <source>Delete slot…</source>
        <translation>删除时段…</translation>
    </message>
    <message>
        <source>Save slot</source>
        <translation>保存时段</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Delete this slot? Posts already planned in it stay in the plan.</source>
        <translation>删除这个时段？已经排在其中的朋友圈会保留。</translation>
    </message>
</context>
<context>
    <name>Catalogue</name>
    <message>
        <source>Every product needs a code (货号).</source>
        <extracomment>The colour × size cells; None keeps the variants as stored and ``stock`` goes to the single default variant (the product sold without sizes). Products kept because posts, orders or allocations refer to them: archive them instead.</extracomment>
        <translation>每件商品都要有货号。</translation>
    </message>
    <message>
        <source>The code is longer than 60 characters.</source>
        <translation>货号超过了 60 个字符。</translation>
    </message>
    <message>
        <source>Every product needs a name.</source>
        <translation>每件商品都要有名称。</translation>
    </message>
    <message>
        <source>The name is longer than 200 characters.</source>
        <translation>名称超过了 200 个字符。</translation>
    </message>
    <message>
        <source>The price cannot be negative.</source>
        <translation>售价不能为负数。</translation>
    </message>
    <message>
        <source>The cost cannot be negative.</source>
        <translation>成本不能为负数。</translation>
    </message>
    <message>
        <source>Stock cannot be negative.</source>
        <translation>库存不能为负数。</translation>
    </message>
    <message>
        <source>A product can have at most {MAX_IMAGES} pictures.</source>
        <translation>一件商品最多 {MAX_IMAGES} 张图片。</translation>
    </message>
    <message>
        <source>The Taobao link must start with http:// or https://</source>
        <translation>淘宝链接必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>Another product already uses the code {code}.</source>
        <translation>货号 {code} 已被另一件商品使用。</translation>
    </message>
    <message>
        <source>A picture was removed from the media store meanwhile.</source>
        <translation>有一张图片刚刚已从图片库中删除。</translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>The editor&apos;s names for the fields a conflict sentence names.</extracomment>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival date</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>This product was deleted meanwhile.</source>
        <translation>这件商品刚刚已被删除。</translation>
    </message>
    <message>
        <source>Only {left} left in stock now (sold on another computer meanwhile): stock cannot go {delta} below that.</source>
        <translation>现在只剩 {left} 件（另一台电脑刚卖出）：库存不能再减少 {delta} 件。</translation>
    </message>
    <message>
        <source>No free code for the copy.</source>
        <translation>找不到可用于副本的货号。</translation>
    </message>
    <message>
        <source>The tag is empty.</source>
        <translation>标签不能为空。</translation>
    </message>
    <message>
        <source>Stock would go below zero for {listed}{more}.</source>
        <translation>{listed}{more} 的库存会变成负数。</translation>
    </message>
    <message>
        <source>{listed} come in several sizes or colours: change their stock per variant in the product editor.</source>
        <translation>{listed} 有多个颜色或尺码：请在商品编辑里按规格修改库存。</translation>
    </message>
    <message>
        <source>Stock changed on another computer meanwhile; nothing was changed.</source>
        <translation>另一台电脑刚刚改动了库存，这里没有做任何改动。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>New post</source>
        <extracomment>How long the seller pauses typing before the draft is checked against the plan. after a conflicting save: the other computer&apos;s version, so saving again keeps ours</extracomment>
        <translation>新建朋友圈</translation>
    </message>
    <message>
        <source>Edit post</source>
        <translation>编辑朋友圈</translation>
    </message>
    <message>
        <source>How friends will see it</source>
        <translation>好友看到的样子</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>存为草稿</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Send to phone</source>
        <translation>发到手机</translation>
    </message>
    <message>
        <source>Back in stock {n}</source>
        <translation>返场 {n}</translation>
    </message>
    <message>
        <source>Collection {n}</source>
        <translation>合集 {n}</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>状态：{status}</translation>
    </message>
    <message>
        <source>Your account</source>
        <extracomment>The unsaved post in rule checks (real posts have positive ids).</extracomment>
        <translation>你的微信</translation>
    </message>
    <message>
        <source>%n character(s)</source>
        <translation>%n 个字</translation>
    </message>
    <message>
        <source>A Moments post holds at most 9 pictures; %n picture(s) were not added.</source>
        <translation>一条朋友圈最多 9 张图，有 %n 张没有加入。</translation>
    </message>
    <message>
        <source>Link a product first (Linked products).</source>
        <translation>请先关联商品（关联商品）。</translation>
    </message>
    <message>
        <source>Some pictures were not added</source>
        <translation>部分图片未能加入</translation>
    </message>
    <message>
        <source>Use the %n exported picture(s) as this post&apos;s pictures?</source>
        <translation>用导出的 %n 张图片作为这条朋友圈的配图？</translation>
    </message>
    <message>
        <source>Choose at least one WeChat account.</source>
        <translation>请至少选择一个微信号。</translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation>草稿已保存。</translation>
    </message>
    <message>
        <source>Save the post first, then send it.</source>
        <translation>请先保存，再发到手机。</translation>
    </message>
    <message>
        <source>Not scheduled: the post breaks a rule. Saved as a draft if you saved.
{rules}</source>
        <translation>未排期：这条朋友圈违反了规则（已保存的内容仍是草稿）。
{rules}</translation>
    </message>
    <message>
        <source>Not scheduled</source>
        <translation>未排期</translation>
    </message>
    <message>
        <source>Delete post</source>
        <translation>删除朋友圈</translation>
    </message>
    <message>
        <source>Delete this post? Its text and picture order are lost.</source>
        <translation>删除这条朋友圈？文案和图片顺序都会丢失。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>This post has unsaved changes. Save them as a draft?</source>
        <translation>这条朋友圈有未保存的修改，要存为草稿吗？</translation>
    </message>
    <message>
        <source>Public (公开)</source>
        <translation>公开</translation>
    </message>
    <message>
        <source>Only these tags (部分可见)</source>
        <translation>部分可见（仅这些标签）</translation>
    </message>
    <message>
        <source>Hide from these tags (不给谁看)</source>
        <translation>不给谁看（屏蔽这些标签）</translation>
    </message>
    <message>
        <source>The first line is the hook: it is all most friends read.</source>
        <translation>第一行是钩子：大多数好友只看这一行。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Goes out</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>WeChat accounts</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Who sees it</source>
        <translation>谁可以看</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Linked products</source>
        <extracomment>Rows a search shows; a seller narrows the search rather than scrolling 5,000 products.</extracomment>
        <translation>关联商品</translation>
    </message>
    <message>
        <source>Pictures in posting order (drag to reorder, at most 9)</source>
        <translation>图片按发布顺序排列（拖动调整，最多 9 张）</translation>
    </message>
    <message>
        <source>Products&apos; pictures</source>
        <translation>用商品图片</translation>
    </message>
    <message>
        <source>From files…</source>
        <translation>从文件添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Nine-grid…</source>
        <translation>九宫格…</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>none yet: choose what this post sells</source>
        <translation>还没有：点“选择…”关联这条朋友圈卖的商品</translation>
    </message>
    <message>
        <source>none (a lifestyle post needs none)</source>
        <translation>无（生活圈不需要关联商品）</translation>
    </message>
    <message>
        <source>Search by name, code, tag or pinyin initials</source>
        <translation>按名称、货号、标签或拼音首字母搜索</translation>
    </message>
    <message>
        <source>%n product(s) linked</source>
        <translation>已关联 %n 件商品</translation>
    </message>
    <message>
        <source>product name</source>
        <extracomment>Emoji sellers use in Moments; the font falls back to the colour emoji font.</extracomment>
        <translation>商品名称</translation>
    </message>
    <message>
        <source>price, e.g. ¥129</source>
        <translation>价格，如 ¥129</translation>
    </message>
    <message>
        <source>selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>product code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>product tags as #hashtags</source>
        <translation>商品标签（#话题#）</translation>
    </message>
    <message>
        <source>pieces in stock</source>
        <translation>库存件数</translation>
    </message>
    <message>
        <source>the account&apos;s nickname</source>
        <translation>微信昵称</translation>
    </message>
    <message>
        <source>weekday (一…日), for 周{weekday}</source>
        <translation>星期（一…日），用于 周{weekday}</translation>
    </message>
    <message>
        <source>date, e.g. 11月24日</source>
        <translation>日期，如 11月24日</translation>
    </message>
    <message>
        <source>one line per product (合集)</source>
        <translation>每件商品一行（合集）</translation>
    </message>
    <message>
        <source>sizes in stock</source>
        <translation>有货的尺码</translation>
    </message>
    <message>
        <source>colours in stock</source>
        <translation>有货的颜色</translation>
    </message>
    <message>
        <source>e.g.</source>
        <translation>例：</translation>
    </message>
    <message>
        <source>Insert {…}</source>
        <translation>插入 {…}</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Insert an emoji</source>
        <translation>插入表情</translation>
    </message>
    <message>
        <source>✓ No rule is broken and the text is fine.</source>
        <translation>✓ 没有违反规则，文案也没问题。</translation>
    </message>
    <message>
        <source>Product updated: refresh pictures and price</source>
        <translation>商品已更新：刷新图片和价格</translation>
    </message>
    <message>
        <source>A product of this draft changed after you edited it. Take its current pictures and price; your text stays as you wrote it.</source>
        <translation>你编辑这条草稿之后，商品有了变化。点一下换成商品现在的图片和价格，你写的文字保持不变。</translation>
    </message>
</context>
<context>
    <name>CustomerDetail</name>
    <message>
        <source>Liked</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Commented</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Private chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备忘</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>New customer</source>
        <extracomment>the customer as shown, so a save writes only what the seller changed here</extracomment>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Export this customer’s data…</source>
        <translation>导出该客户的全部数据…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Write what you talked about, e.g. 想要M码，下周到货再联系</source>
        <translation>记下聊了什么，例如：想要M码，下周到货再联系</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备忘</translation>
    </message>
    <message>
        <source>备注, e.g. 杭州-李姐</source>
        <translation>备注名，例如：杭州-李姐</translation>
    </message>
    <message>
        <source> month</source>
        <translation> 月</translation>
    </message>
    <message>
        <source> day</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>year?</source>
        <translation>年份未知</translation>
    </message>
    <message>
        <source>lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <source>leap month</source>
        <translation>闰月</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>手动设定</translation>
    </message>
    <message>
        <source>Untick to let her orders, likes and referrals decide the stage again.</source>
        <translation>取消勾选后，由她的订单、点赞和介绍重新决定阶段。</translation>
    </message>
    <message>
        <source>comma separated</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <source>She allows her comments and photos to be shown as 买家秀</source>
        <translation>她同意把她的评论和照片用作买家秀</translation>
    </message>
    <message>
        <source>Only ticked customers are quoted in 买家秀 drafts, with the name masked (王*). Unticking removes the drafts quoting her that nobody edited.</source>
        <translation>只有勾选的客户会被引用到买家秀草稿里，名字会打码（王*）。取消勾选会删除引用她、且没人改过的草稿。</translation>
    </message>
    <message>
        <source>WeChat account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Remark name</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Marketing consent</source>
        <translation>营销同意</translation>
    </message>
    <message>
        <source>买家秀 photos</source>
        <translation>买家返图</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No contact yet</source>
        <translation>还没有联系记录</translation>
    </message>
    <message>
        <source>Last contact today</source>
        <translation>今天有过联系</translation>
    </message>
    <message>
        <source>Last contact %Ln day(s) ago</source>
        <translation>上次联系在 %Ln 天前</translation>
    </message>
    <message>
        <source>under “{post}”</source>
        <translation>在「{post}」下</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备忘</translation>
    </message>
</context>
<context>
    <name>CustomerImport</name>
    <message>
        <source>Into WeChat account</source>
        <translation>导入到微信号</translation>
    </message>
    <message>
        <source>lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <source>leap </source>
        <translation>闰</translation>
    </message>
    <message>
        <source>Update customers already on this account</source>
        <translation>该微信号已有的客户：更新</translation>
    </message>
    <message>
        <source>Skip customers already on this account</source>
        <translation>该微信号已有的客户：跳过</translation>
    </message>
    <message>
        <source>Treat a customer already on this account as an error</source>
        <translation>该微信号已有的客户：视为错误</translation>
    </message>
    <message>
        <source>A row is the same customer when the WeChat ID matches (or the phone, for rows without a WeChat ID). Birthdays may be lunar: 农历三月初五.</source>
        <translation>微信ID相同即视为同一位客户（没有微信ID的行按手机号判断）。生日可以写农历，例如：农历三月初五。</translation>
    </message>
    <message>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Remark name</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>create</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Importing customers…</source>
        <translation>正在导入客户…</translation>
    </message>
    <message>
        <source>Imported: {created} new customers, {updated} updated, {addresses} addresses.</source>
        <translation>导入完成：新增 {created} 位客户，更新 {updated} 位，新增地址 {addresses} 条。</translation>
    </message>
    <message>
        <source>Taobao → 已卖出的宝贝 → 批量导出 → 订单报表 (CSV). Buyers are matched to your customers by phone, then by name; new buyers join this account. Orders already imported are skipped, so importing the same file twice is safe.</source>
        <translation>淘宝卖家中心 → 已卖出的宝贝 → 批量导出 → 订单报表（CSV）。买家先按手机号、再按姓名匹配已有客户；新买家加入所选微信号。已导入过的订单会自动跳过，同一个文件导入两次也不会重复。</translation>
    </message>
    <message>
        <source>Import Taobao orders</source>
        <translation>导入淘宝订单</translation>
    </message>
    <message>
        <source>Taobao order export (*.csv *.xlsx)</source>
        <translation>淘宝订单报表 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Order number</source>
        <translation>订单编号</translation>
    </message>
    <message>
        <source>Buyer account</source>
        <translation>买家会员名</translation>
    </message>
    <message>
        <source>Amount paid</source>
        <translation>实付金额</translation>
    </message>
    <message>
        <source>Shipping fee</source>
        <translation>邮费</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收货人</translation>
    </message>
    <message>
        <source>Item title</source>
        <translation>宝贝标题</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Product code</source>
        <translation>商家编码</translation>
    </message>
    <message>
        <source>Ordered at</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>付款时间</translation>
    </message>
    <message>
        <source>Shipped at</source>
        <translation>发货时间</translation>
    </message>
    <message>
        <source>Completed at</source>
        <translation>确认收货时间</translation>
    </message>
    <message>
        <source>Order notes</source>
        <translation>订单备注</translation>
    </message>
    <message>
        <source>Size and colour</source>
        <translation>颜色尺码</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Orders to add: {orders} · Already imported: {done} · New customers: {new} · Known customers: {known} · Errors: {errors}</source>
        <translation>待导入订单：{orders} · 已导入过：{done} · 新客户：{new} · 已有客户：{known} · 错误：{errors}</translation>
    </message>
    <message>
        <source>new customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>existing customer</source>
        <translation>已有客户</translation>
    </message>
    <message>
        <source>Importing Taobao orders…</source>
        <translation>正在导入淘宝订单…</translation>
    </message>
    <message>
        <source>Imported {orders} orders: {created} new customers, {updated} known customers, {addresses} new addresses.</source>
        <translation>已导入 {orders} 个订单：新客户 {created} 位，已有客户 {updated} 位，新地址 {addresses} 条。</translation>
    </message>
    <message>
        <source>{text} is not one of {accepted}</source>
        <translation>{text} 不是以下之一：{accepted}</translation>
    </message>
    <message>
        <source>province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>city</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>district</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>detail</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <source>the {part} part is {count} characters long; at most {limit}</source>
        <translation>地址中的{part}有 {count} 个字符，最多 {limit} 个</translation>
    </message>
    <message>
        <source>is {count} characters long; at most {limit}</source>
        <extracomment>Column limits of the customer table, checked per cell so nothing is cut silently. At least one of these must be filled in: a customer needs something to be recognised by. Records a problem: (row position, field or None for the whole row, message). Field → value per row (``None`` where the row leaves it empty). ``birthday`` holds a Birthday, ``tags`` a tuple of names, ``address`` a ParsedAddress. Row position → its problems, in the order of the fields. ``get(cell, cell)``: None for an empty cell, else the cell (``map`` runs it at C speed).</extracomment>
        <translation>长度为 {count} 个字符，最多 {limit} 个</translation>
    </message>
    <message>
        <source>needs a WeChat ID, a nickname or a remark name</source>
        <translation>需要微信号、昵称或备注名</translation>
    </message>
    <message>
        <source>{tag}… is longer than {limit}</source>
        <translation>{tag}… 超过了 {limit} 个字符</translation>
    </message>
    <message>
        <source>no such WeChat account</source>
        <extracomment>Customer column → value, for the fields this row fills in. Fields of the checked columns that are customer columns as they are. File row number of each customer to write. Field → value per customer to write (see ``CheckedCells.columns``). The customer each row updates, or None for a new one.</extracomment>
        <translation>没有这个微信号</translation>
    </message>
    <message>
        <source>choose a column for 微信号, 昵称 or 备注</source>
        <translation>请为 微信号、昵称 或 备注 选择一列</translation>
    </message>
    <message>
        <source>{wechat_id} is also in row {first_row}</source>
        <translation>{wechat_id} 与第 {first_row} 行重复</translation>
    </message>
    <message>
        <source>{who} is already a customer of this account</source>
        <translation>{who} 已是该微信号的客户</translation>
    </message>
    <message>
        <source>the import has errors; fix them first</source>
        <extracomment>Columns written for a new customer, in this order (see ``customer_tuple``). Fields an update may change: only those the file fills in. What a new customer has where the file says nothing. From this many new rows on (and at least as many as are already there), a table&apos;s indexes are built again after the insert rather than updated row by row. SQLite page cache (KiB) while bulk-inserting that many.</extracomment>
        <translation>导入内容有错误，请先改正</translation>
    </message>
    <message>
        <source>another program added customers at the same moment; try again</source>
        <translation>另一个程序同时添加了客户，请重试</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <source>{raw} is not a phone number</source>
        <translation>{raw} 不是电话号码</translation>
    </message>
    <message>
        <source>{raw} is not a mainland mobile number</source>
        <translation>{raw} 不是大陆手机号</translation>
    </message>
    <message>
        <source>{raw} has {count} digits; a mobile number has 11</source>
        <translation>{raw} 有 {count} 位数字；手机号应为 11 位</translation>
    </message>
    <message>
        <source>A customer needs a nickname, a remark name or a WeChat ID.</source>
        <translation>客户至少要有昵称、备注名或微信号之一。</translation>
    </message>
    <message>
        <source>Birthday: {error}.</source>
        <translation>生日：{error}。</translation>
    </message>
    <message>
        <source>That WeChat account no longer exists.</source>
        <translation>那个微信号已不存在。</translation>
    </message>
    <message>
        <source>Another customer on this account already has the WeChat ID {wechat_id}.</source>
        <translation>这个微信号下已有另一位客户使用微信号 {wechat_id}。</translation>
    </message>
    <message>
        <source>A customer cannot refer herself.</source>
        <translation>客户不能推荐自己。</translation>
    </message>
    <message>
        <source>This customer was deleted meanwhile.</source>
        <translation>这位客户刚刚已被删除。</translation>
    </message>
    <message>
        <source>The tag is empty.</source>
        <translation>标签不能为空。</translation>
    </message>
    <message>
        <source>The target account already has {shown}: merge those customers instead.</source>
        <translation>目标微信号下已有 {shown}：请改为合并这些客户。</translation>
    </message>
    <message>
        <source>WeChat account</source>
        <extracomment>She allowed her comments and photos to be shown as 买家秀 (off unless she said so). The form&apos;s names for the fields a conflict sentence names.</extracomment>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信 ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>授权说明</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>CustomersModel</name>
    <message>
        <source>Name</source>
        <translation>称呼</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>上次联系</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>%Ln day(s) ago</source>
        <translation>%Ln 天前</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Customers from a spreadsheet…</source>
        <translation>从表格导入客户…</translation>
    </message>
    <message>
        <source>Taobao order export (订单报表)…</source>
        <translation>淘宝订单报表…</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Search nickname, remark, WeChat ID, phone or pinyin (zs → 张三)</source>
        <translation>搜索昵称、备注、微信ID、手机号或拼音（zs → 张三）</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>全部微信号</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>Any stage</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>Birthday this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <source>Quiet for</source>
        <translation>沉默超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Unpaid order</source>
        <translation>有待付款订单</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>加标签…</translation>
    </message>
    <message>
        <source>Set stage</source>
        <translation>设置阶段</translation>
    </message>
    <message>
        <source>From their record (clear set by hand)</source>
        <translation>按记录自动（清除手动设定）</translation>
    </message>
    <message>
        <source>Move to account</source>
        <translation>移到微信号</translation>
    </message>
    <message>
        <source>Merge the two…</source>
        <translation>合并这两位…</translation>
    </message>
    <message>
        <source>⚠ near WeChat&apos;s 5,000-friend Moments limit</source>
        <translation>⚠ 接近微信朋友圈 5000 好友上限</translation>
    </message>
    <message>
        <source>%Ln customer(s) shown</source>
        <translation>显示 %Ln 位客户</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Discard the changes to this customer?</source>
        <translation>放弃对这位客户的修改吗？</translation>
    </message>
    <message>
        <source>No WeChat account yet</source>
        <translation>还没有微信号</translation>
    </message>
    <message>
        <source>Every customer belongs to one of your WeChat accounts. Add your account in Settings first.</source>
        <translation>每位客户都属于你的某个微信号。请先在“设置”里添加微信号。</translation>
    </message>
    <message>
        <source>Data exported</source>
        <translation>数据已导出</translation>
    </message>
    <message>
        <source>Everything stored about her is in:
{files}</source>
        <translation>关于她的全部数据已保存到：
{files}</translation>
    </message>
    <message>
        <source>Delete customer</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Delete {name} and everything that names her (likes, comments, notes, addresses)? This cannot be undone.</source>
        <translation>删除{name}以及所有与她有关的记录（点赞、评论、备忘、地址）吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Keep her orders as anonymous sales so revenue reports still add up</source>
        <translation>保留她的订单作为匿名销售记录，让营业额报表依然准确</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>加标签</translation>
    </message>
    <message>
        <source>Tag (also usable as a Moments audience) for %Ln customer(s):</source>
        <translation>给 %Ln 位客户加标签（也可用作朋友圈“部分可见”分组）：</translation>
    </message>
    <message>
        <source>Merge duplicates</source>
        <translation>合并重复客户</translation>
    </message>
    <message>
        <source>Keep “{keep}” and merge “{absorb}” into her? Timelines, orders, tags and addresses are combined; the second record is removed.</source>
        <translation>保留「{keep}」并把「{absorb}」合并进来吗？时间线、订单、标签和地址会合在一起，第二条记录将被删除。</translation>
    </message>
</context>
<context>
    <name>CustomersReport</name>
    <message>
        <source>Buyers in range</source>
        <extracomment>The seller asked for the customers of a segment.</extracomment>
        <translation>区间内下单人数</translation>
    </message>
    <message>
        <source>Repurchase rate</source>
        <translation>复购率</translation>
    </message>
    <message>
        <source>Friends brought by friends</source>
        <translation>老带新好友数</translation>
    </message>
    <message>
        <source>RFM segments (click a bar for the list)</source>
        <translation>RFM 客户分层（点柱子看名单）</translation>
    </message>
    <message>
        <source>Stage funnel</source>
        <translation>客户阶段漏斗</translation>
    </message>
    <message>
        <source>Stage movement by month</source>
        <translation>每月阶段变化</translation>
    </message>
    <message>
        <source>Retention by month of first order</source>
        <translation>按首单月份的留存</translation>
    </message>
    <message>
        <source>Who brought whom</source>
        <translation>谁带来了谁</translation>
    </message>
    <message>
        <source>{n} bought twice or more</source>
        <translation>{n} 人买过两次及以上</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Reached it or beyond</source>
        <translation>已达到该阶段及以上</translation>
    </message>
    <message>
        <source>At this stage now</source>
        <translation>目前处于该阶段</translation>
    </message>
    <message>
        <source>New friends</source>
        <translation>新加好友</translation>
    </message>
    <message>
        <source>→ customer</source>
        <translation>→ 客户</translation>
    </message>
    <message>
        <source>→ fan</source>
        <translation>→ 粉丝</translation>
    </message>
    <message>
        <source>→ iron fan</source>
        <translation>→ 铁粉</translation>
    </message>
    <message>
        <source>Ordered again the next month</source>
        <translation>次月再次下单</translation>
    </message>
    <message>
        <source>{n} friends referred in range</source>
        <translation>区间内转介绍 {n} 位好友</translation>
    </message>
</context>
<context>
    <name>DrawPanel</name>
    <message>
        <source>commenters</source>
        <translation>评论的好友</translation>
    </message>
    <message>
        <source>likers</source>
        <translation>点赞的好友</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>抽取</translation>
    </message>
    <message>
        <source> winner(s)</source>
        <translation> 位</translation>
    </message>
    <message>
        <source>among</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>leave out winners of the last</source>
        <translation>排除最近中过奖的好友：</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天内</translation>
    </message>
    <message>
        <source>Draw now</source>
        <translation>立即抽奖</translation>
    </message>
    <message>
        <source>The draw is random but reproducible: its seed is kept, so anyone can verify the same winners come out again.</source>
        <translation>抽奖随机但可复核：随机种子会保存下来，任何时候都能重新验证抽出的是同样的人。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Among</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Winners</source>
        <translation>中奖好友</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Verify selected draw</source>
        <translation>复核选中的抽奖</translation>
    </message>
    <message>
        <source>🎉 Winners: {names}  (among {pool} eligible; seed {seed})</source>
        <translation>🎉 中奖：{names}（共 {pool} 位符合条件；种子 {seed}）</translation>
    </message>
    <message>
        <source> · %n recent winner(s) left out</source>
        <translation> · 已排除近期中奖的 %n 位</translation>
    </message>
    <message>
        <source>No draw</source>
        <translation>无法抽奖</translation>
    </message>
    <message>
        <source>Draw verified</source>
        <translation>复核通过</translation>
    </message>
    <message>
        <source>Recomputed from the seed: {again}.
The same winners as recorded.</source>
        <translation>按种子重新计算：{again}。
与记录的中奖好友一致。</translation>
    </message>
    <message>
        <source>Draw differs</source>
        <translation>复核结果不一致</translation>
    </message>
    <message>
        <source>Recorded: {recorded}
Recomputed: {again}
The people eligible have changed since (a customer deleted or merged).</source>
        <translation>记录：{recorded}
重新计算：{again}
此后参与范围发生了变化（有客户被删除或合并）。</translation>
    </message>
</context>
<context>
    <name>Draws</name>
    <message>
        <source>This post was deleted meanwhile.</source>
        <translation>这条朋友圈刚刚已被删除。</translation>
    </message>
    <message>
        <source>Draws happen under posted posts only.</source>
        <translation>只有已发布的朋友圈才能抽奖。</translation>
    </message>
    <message>
        <source>Draw at least 1 winner, not {count}.</source>
        <translation>至少抽 1 位中奖者，不能是 {count} 位。</translation>
    </message>
    <message>
        <source>This draw was deleted meanwhile.</source>
        <translation>这次抽奖刚刚已被删除。</translation>
    </message>
    <message>
        <source>Only {eligible} eligible friends for {count} winners ({excluded} won within {days} days).</source>
        <translation>只有 {eligible} 位朋友可以参加，抽不出 {count} 位中奖者（{excluded} 位在 {days} 天内中过奖）。</translation>
    </message>
    <message>
        <source>Only {eligible} eligible friends for {count} winners.</source>
        <translation>只有 {eligible} 位朋友可以参加，抽不出 {count} 位中奖者。</translation>
    </message>
</context>
<context>
    <name>DueNow</name>
    <message>
        <source>Only an owner can approve posts.</source>
        <extracomment>prefs.json ``extra``: the panel folded to a narrow strip (1366-pixel screens need the room)</extracomment>
        <translation>只有店主可以审核朋友圈。</translation>
    </message>
    <message>
        <source>Someone else already approved or returned this post.</source>
        <translation>这条朋友圈已经被其他人批准或退回了。</translation>
    </message>
    <message>
        <source>Please write what the assistant should change.</source>
        <translation>请写下需要助理修改的地方。</translation>
    </message>
    <message>
        <source>Due now</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Fold the panel to a narrow strip</source>
        <translation>收起成窄条</translation>
    </message>
    <message>
        <source>Posts to publish</source>
        <translation>该发的朋友圈</translation>
    </message>
    <message>
        <source>Publish…</source>
        <translation>去发布…</translation>
    </message>
    <message>
        <source>Send to phone</source>
        <translation>发到手机</translation>
    </message>
    <message>
        <source>Today to phone</source>
        <translation>今日发到手机</translation>
    </message>
    <message>
        <source>One QR code for every post due today on one account, until midnight</source>
        <translation>一个二维码包含一个账号今天要发的所有朋友圈，到午夜失效</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Awaiting your approval</source>
        <translation>等你审核</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Show the panel</source>
        <translation>展开待处理</translation>
    </message>
    <message>
        <source>{line} (missed)</source>
        <translation>{line}（已错过）</translation>
    </message>
    <message>
        <source>Nothing due.</source>
        <translation>暂时没有要发的。</translation>
    </message>
    <message>
        <source>No reminders.</source>
        <translation>没有提醒。</translation>
    </message>
    <message>
        <source>Nothing to approve.</source>
        <translation>没有待审核的。</translation>
    </message>
    <message>
        <source>Due now (%n)</source>
        <translation>待处理（%n）</translation>
    </message>
    <message>
        <source>Return to the assistant</source>
        <translation>退回给助理</translation>
    </message>
    <message>
        <source>What should be changed?</source>
        <translation>需要改哪里？</translation>
    </message>
</context>
<context>
    <name>Editing</name>
    <message>
        <source> (and {count} more fields)</source>
        <translation>（另有 {count} 项）</translation>
    </message>
    <message>
        <source>{field} was changed on another computer while you were editing: saved there “{theirs}”, yours “{mine}”{more}. Your changes are still in the form: save again to keep yours, or reopen it to take theirs.</source>
        <translation>你编辑期间，另一台电脑修改了{field}：那边保存的是“{theirs}”，你的是“{mine}”{more}。你的修改仍在表单里：再次保存即保留你的版本，或重新打开采用对方的版本。</translation>
    </message>
    <message>
        <source>Another computer saved this at the same moment. Your changes are still in the form: save again.</source>
        <translation>另一台电脑在同一时刻保存了这条记录。你的修改仍在表单里，请再次保存。</translation>
    </message>
</context>
<context>
    <name>EmptySlotReasons</name>
    <message>
        <source>no product on sale, in stock and outside the cooldown fits this slot</source>
        <extracomment>Why auto-drafting left an occurrence empty</extracomment>
        <translation>没有符合这个时段、在售有库存且不在冷却期的商品</translation>
    </message>
    <message>
        <source>the slot&apos;s template is broken</source>
        <translation>这个时段的模板有错误</translation>
    </message>
    <message>
        <source>inside the quiet hours</source>
        <translation>在免打扰时段内</translation>
    </message>
    <message>
        <source>the day already has its maximum of posts</source>
        <translation>当天的条数已达上限</translation>
    </message>
    <message>
        <source>too close to another post</source>
        <translation>离另一条朋友圈太近</translation>
    </message>
    <message>
        <source>the week already has its maximum of sales posts</source>
        <translation>本周卖货条数已达上限</translation>
    </message>
    <message>
        <source>every caption would repeat one from the last 14 days</source>
        <translation>所有文案都会和最近 14 天的重复</translation>
    </message>
</context>
<context>
    <name>ExportSettings</name>
    <message>
        <source>Bottom right</source>
        <translation>右下角</translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation>左下角</translation>
    </message>
    <message>
        <source>Top right</source>
        <translation>右上角</translation>
    </message>
    <message>
        <source>Top left</source>
        <translation>左上角</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Pictures for Moments</source>
        <translation>发圈图片</translation>
    </message>
    <message>
        <source>1080 px (WeChat&apos;s usual size)</source>
        <translation>1080 像素（微信常用尺寸）</translation>
    </message>
    <message>
        <source>2048 px (sharper, larger files)</source>
        <translation>2048 像素（更清晰，文件更大）</translation>
    </message>
    <message>
        <source>e.g. shop name or WeChat ID; empty: none</source>
        <translation>例如店名或微信号；留空则不加</translation>
    </message>
    <message>
        <source>Put the product&apos;s price on its pictures</source>
        <translation>在商品图片上标出价格</translation>
    </message>
    <message>
        <source>Long side</source>
        <translation>长边</translation>
    </message>
    <message>
        <source>JPEG quality</source>
        <translation>JPEG 质量</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Give your shop a name; it appears on exported pictures.</source>
        <translation>请给店铺起个名字，它会显示在导出的图片上。</translation>
    </message>
    <message>
        <source>Add at least one WeChat account.</source>
        <translation>请至少添加一个微信号。</translation>
    </message>
    <message>
        <source>Account {index} ({value}): {error}</source>
        <translation>第 {index} 个微信号（{value}）：{error}</translation>
    </message>
    <message>
        <source>Account {index} ({label}): avatar {error}</source>
        <translation>第 {index} 个微信号（{label}）：头像 {error}</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first} {second}</translation>
    </message>
</context>
<context>
    <name>FollowUps</name>
    <message>
        <source>Unpaid</source>
        <translation>未付款</translation>
    </message>
    <message>
        <source>Shipped, not confirmed</source>
        <translation>已发货未确认收货</translation>
    </message>
    <message>
        <source>Gone quiet</source>
        <translation>久未联系</translation>
    </message>
    <message>
        <source>Birthday this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <source>Follow up today</source>
        <translation>今日跟进</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>谁</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>%n hour(s)</source>
        <translation>%n 小时</translation>
    </message>
    <message>
        <source>%n day(s)</source>
        <translation>%n 天</translation>
    </message>
    <message>
        <source>order #{id} {amount}, waiting {ago}</source>
        <translation>订单 #{id} {amount}，已等 {ago}</translation>
    </message>
    <message>
        <source>order #{id} shipped {ago} ago</source>
        <translation>订单 #{id} 已发货 {ago}</translation>
    </message>
    <message>
        <source>last contact {ago} ago</source>
        <translation>上次联系在 {ago} 前</translation>
    </message>
    <message>
        <source>{date} (lunar birthday)</source>
        <translation>{date}（农历生日）</translation>
    </message>
    <message>
        <source>Nothing to chase today</source>
        <translation>今天没有需要跟进的事</translation>
    </message>
</context>
<context>
    <name>ForbiddenReasons</name>
    <message>
        <source>rewarding likes (集赞) is against WeChat&apos;s rules</source>
        <extracomment>ForbiddenReason value → why WeChat objects</extracomment>
        <translation>集赞换奖励违反微信规则</translation>
    </message>
    <message>
        <source>rewarding shares (转发抽奖, 转发送) is against WeChat&apos;s rules</source>
        <translation>转发抽奖、转发送礼违反微信规则</translation>
    </message>
    <message>
        <source>asking friends to help (助力, 砍一刀) for a reward is against WeChat&apos;s rules</source>
        <translation>助力、砍一刀换奖励违反微信规则</translation>
    </message>
    <message>
        <source>red packets for forwarding are against WeChat&apos;s rules</source>
        <translation>用红包诱导转发违反微信规则</translation>
    </message>
    <message>
        <source>淘口令-style codes are blocked in Moments</source>
        <translation>朋友圈里不能发淘口令</translation>
    </message>
    <message>
        <source>inviting likes for a favour (e.g. shipping first) counts as 诱导点赞 in WeChat&apos;s rules</source>
        <translation>用优先发货等好处换点赞，属于微信规则里的诱导点赞</translation>
    </message>
</context>
<context>
    <name>FriendCap</name>
    <message>
        <source>{account} has {friends} friends. Importing {adding} new ones makes {total}, over WeChat&apos;s limit of {limit} friends per account.</source>
        <translation>{account} 已有 {friends} 位好友。再导入 {adding} 位新好友就是 {total} 位，超过微信每个号 {limit} 位好友的上限。</translation>
    </message>
    <message>
        <source>All your accounts together have room for {free} more: add another WeChat account in Settings to split the import.</source>
        <translation>所有微信号加起来只能再加 {free} 位：请先在设置里添加一个微信号，再分开导入。</translation>
    </message>
    <message>
        <source>Split across accounts: {split}.</source>
        <translation>分到各个微信号：{split}。</translation>
    </message>
    <message>
        <source>Over the friend limit</source>
        <translation>超过好友上限</translation>
    </message>
    <message>
        <source>Split across accounts</source>
        <translation>分到多个微信号</translation>
    </message>
    <message>
        <source>Import into {account} anyway</source>
        <translation>仍然全部导入 {account}</translation>
    </message>
    <message>
        <source>Not split: {count} of the friends to move already have their WeChat ID on the other account. Nothing was imported.</source>
        <translation>没有分开导入：要分过去的好友里有 {count} 位的微信号在另一个号上已经有了。什么也没导入。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Overview</source>
        <extracomment>Where a card leads; MainWindow maps these to its pages. Emitted once, after the first paint that shows real data (``--smoke`` waits for it). A card was opened: PLANNER, ORDERS, REPORTS, CUSTOMERS or DORMANT (with ``dormant_days``).</extracomment>
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
    <message>
        <source>Could not load the overview</source>
        <translation>无法载入概览</translation>
    </message>
    <message>
        <source>Reading the database failed: {error}</source>
        <translation>读取数据库失败：{error}</translation>
    </message>
    <message>
        <source>Set up my shop…</source>
        <translation>设置我的小店…</translation>
    </message>
    <message>
        <source>Open the planner</source>
        <translation>打开排期</translation>
    </message>
    <message>
        <source>Posts due today</source>
        <translation>今天要发的朋友圈</translation>
    </message>
    <message>
        <source>Open reminders</source>
        <translation>待处理提醒</translation>
    </message>
    <message>
        <source>Posted this week / planned by your cadence</source>
        <translation>本周已发 / 节奏计划</translation>
    </message>
    <message>
        <source>Selling posts, last 14 days (target 40%)</source>
        <translation>近 14 天卖货内容占比（目标 40%）</translation>
    </message>
    <message>
        <source>Open the post reports</source>
        <translation>打开朋友圈效果报表</translation>
    </message>
    <message>
        <source>Orders this week</source>
        <translation>本周订单</translation>
    </message>
    <message>
        <source>Open the orders</source>
        <translation>打开订单</translation>
    </message>
    <message>
        <source>Revenue this week</source>
        <translation>本周销售额</translation>
    </message>
    <message>
        <source>Open the reports</source>
        <translation>打开报表</translation>
    </message>
    <message>
        <source>New friend-customers (7 days)</source>
        <translation>新增好友客户（7 天）</translation>
    </message>
    <message>
        <source>Open the customers</source>
        <translation>打开客户</translation>
    </message>
    <message>
        <source>Quiet for 60 days</source>
        <translation>60 天未互动</translation>
    </message>
    <message>
        <source>List the customers with no like, comment, chat or order for 60 days</source>
        <translation>列出 60 天内没有点赞、评论、私聊或下单的客户</translation>
    </message>
    <message>
        <source>Today&apos;s posts</source>
        <translation>今天的朋友圈</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Nothing due today.</source>
        <translation>今天没有要发的朋友圈。</translation>
    </message>
    <message>
        <source>Orders, last 14 days</source>
        <translation>近 14 天订单</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>提醒内容</translation>
    </message>
    <message>
        <source>No open reminders.</source>
        <translation>没有待处理的提醒。</translation>
    </message>
    <message>
        <source>next at {time}</source>
        <translation>下一条 {time}</translation>
    </message>
    <message>
        <source>Slots left this week: %n</source>
        <translation>本周还剩 %n 个时段</translation>
    </message>
    <message>
        <source>{sales} selling, {other} other posts</source>
        <translation>卖货 {sales} 条，其他 {other} 条</translation>
    </message>
    <message>
        <source>last week {n}</source>
        <translation>上周 {n}</translation>
    </message>
    <message>
        <source>last week {amount}</source>
        <translation>上周 {amount}</translation>
    </message>
    <message>
        <source>%Ln friend-customers in all</source>
        <translation>共 %Ln 位好友客户</translation>
    </message>
    <message>
        <source>no like, comment, chat or order</source>
        <translation>没有点赞、评论、私聊或下单</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
</context>
<context>
    <name>ImageExport</name>
    <message>
        <source>long side must be 1080 or 2048 pixels</source>
        <extracomment>Cells per row/column for 1..9 pictures, as a square collage. When exporting a product&apos;s pictures, put its price on them (as price_tag).</extracomment>
        <translation>长边必须是 1080 或 2048 像素</translation>
    </message>
    <message>
        <source>unknown watermark position {watermark_position}</source>
        <translation>未知的水印位置 {watermark_position}</translation>
    </message>
    <message>
        <source>JPEG quality must be between 50 and 100</source>
        <translation>JPEG 质量必须在 50 到 100 之间</translation>
    </message>
    <message>
        <source>a collage takes 1 to 9 pictures</source>
        <extracomment>How a picture that is not square becomes the 九宫格&apos;s square: which part is kept, or all of it on a white ground (&quot;whole&quot;). A 3:4 phone photo loses a quarter in the crops.</extracomment>
        <translation>拼图需要 1 到 9 张图片</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival date</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>Sale attributes (颜色分类:黑色;尺码:M)</source>
        <translation>销售属性（颜色分类:黑色;尺码:M）</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>导入商品</translation>
    </message>
    <message>
        <source>Update products whose code exists</source>
        <translation>货号已存在时：更新</translation>
    </message>
    <message>
        <source>Skip products whose code exists</source>
        <translation>货号已存在时：跳过</translation>
    </message>
    <message>
        <source>Treat an existing code as an error</source>
        <translation>货号已存在时：视为错误</translation>
    </message>
    <message>
        <source>Pictures folder (named by code)…</source>
        <translation>图片文件夹（按货号命名）…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Import</source>
        <extracomment>Given the file and the column mapping, the read that plans the import (run on the DB thread).</extracomment>
        <translation>导入</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.txt *.xlsx)</source>
        <translation>表格文件 (*.csv *.txt *.xlsx)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>{file}: %Ln row(s){encoding}</source>
        <translation>{file}：共 %Ln 行{encoding}</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在逐行检查…</translation>
    </message>
    <message>
        <source>…and %Ln more row error(s)</source>
        <translation>…另有 %Ln 行错误</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>{where}: {message}</source>
        <translation>{where}：{message}</translation>
    </message>
    <message>
        <source>New: {new} · Updated: {updated} · Skipped: {skipped} · Errors: {errors}</source>
        <translation>新增：{new} · 更新：{updated} · 跳过：{skipped} · 错误：{errors}</translation>
    </message>
    <message>
        <source>create</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Importing products…</source>
        <translation>正在导入商品…</translation>
    </message>
    <message>
        <source>Imported: {created} new, {updated} updated, {images} pictures.</source>
        <translation>导入完成：新增 {created} 件，更新 {updated} 件，图片 {images} 张。</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：没有导入任何数据。</translation>
    </message>
    <message>
        <source>Nothing was imported: {error}</source>
        <translation>没有导入任何数据：{error}</translation>
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
    <message>
        <source>On sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄</translation>
    </message>
    <message>
        <source>Off shelf</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Fan</source>
        <translation>粉丝</translation>
    </message>
    <message>
        <source>Iron fan</source>
        <translation>铁粉</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>朋友</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>家人</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>同事</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>线下</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>老带新</translation>
    </message>
    <message>
        <source>Moments</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>Awaiting payment</source>
        <translation>待付款</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Daily life</source>
        <translation>生活日常</translation>
    </message>
    <message>
        <source>Styling and care tips</source>
        <translation>穿搭与保养技巧</translation>
    </message>
    <message>
        <source>Question for comments</source>
        <translation>互动提问</translation>
    </message>
    <message>
        <source>Behind the scenes</source>
        <translation>幕后花絮</translation>
    </message>
    <message>
        <source>Brand story</source>
        <translation>品牌故事</translation>
    </message>
    <message>
        <source>Holiday or solar term</source>
        <translation>节日 / 节气</translation>
    </message>
    <message>
        <source>Buyer show</source>
        <translation>买家秀</translation>
    </message>
    <message>
        <source>Any season</source>
        <translation>不限季节</translation>
    </message>
    <message>
        <source>Spring</source>
        <translation>春</translation>
    </message>
    <message>
        <source>Summer</source>
        <translation>夏</translation>
    </message>
    <message>
        <source>Autumn</source>
        <translation>秋</translation>
    </message>
    <message>
        <source>Winter</source>
        <translation>冬</translation>
    </message>
    <message>
        <source>Content library</source>
        <translation>素材库</translation>
    </message>
    <message>
        <source>Life, tips, buyer shows and brand stories for the 60% of posts that do not sell. Plan 4 weeks fills empty life slots from here (your entries first, then the built-in starters); when nothing fits it leaves a draft marked 待写.</source>
        <translation>生活、技巧、买家秀和品牌故事，撑起那 60% 不卖货的朋友圈。“规划 4 周”会用这里的素材填空着的生活时段（先用你自己的，再用内置素材）；没有合适的就留一条“待写”草稿。</translation>
    </message>
    <message>
        <source>Copy to my library to edit</source>
        <translation>复制到我的素材库再编辑</translation>
    </message>
    <message>
        <source>My entries</source>
        <translation>我的素材</translation>
    </message>
    <message>
        <source>Built-in starters</source>
        <translation>内置素材</translation>
    </message>
    <message>
        <source>e.g. 针织 保养</source>
        <translation>例如：针织 保养</translation>
    </message>
    <message>
        <source>Add pictures…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Remove pictures</source>
        <translation>移除图片</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Season</source>
        <translation>季节</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>New entry</source>
        <translation>新建素材</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source> weeks</source>
        <translation> 周</translation>
    </message>
    <message>
        <source>Do not use an entry again on an account for</source>
        <translation>同一条素材在同一个微信号上至少间隔</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>{n} picture(s)</source>
        <translation>{n} 张图片</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <source>%Ln selected</source>
        <extracomment>How long the seller pauses typing before the matches are counted. rows of a search are on screen (their number so far) the number of rows the current query matches is known the query whose rows the table shows the errors a write of this page refuses with (shown, not a failure) set by the page once it made its table (``list_view.make_table``)</extracomment>
        <translation>已选 %Ln 项</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>未修改</translation>
    </message>
</context>
<context>
    <name>ListView</name>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>The data could not be read or changed: {error}</source>
        <translation>无法读取或修改数据：{error}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Who is working?</source>
        <translation>谁在使用？</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 码或密码</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Too many wrong PINs. This profile is locked until {time} (about %n second(s)). Each further wrong PIN doubles the wait; an owner can unlock it in Settings.</source>
        <translation>PIN 码错误次数太多，该成员已锁定到 {time}（约 %n 秒）。之后每再错一次，等待时间翻倍；店主可在“设置”中解锁。</translation>
    </message>
    <message>
        <source>Wrong PIN. %n attempt(s) left before the profile is locked.</source>
        <translation>PIN 码错误。再错 %n 次将锁定该成员。</translation>
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
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
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
        <source>The demo shop can only be loaded into an empty shop.</source>
        <translation>示例店铺只能载入到空店铺中。</translation>
    </message>
    <message>
        <source>Demo shop not created</source>
        <translation>未生成示例店铺</translation>
    </message>
    <message>
        <source>Quick guide</source>
        <translation>快速指南</translation>
    </message>
    <message>
        <source>Setup wizard…</source>
        <translation>设置向导…</translation>
    </message>
    <message>
        <source>The shop&apos;s database cannot be reached (network or server down). Nothing is lost: changes cannot be saved until it is back, reminders wait, and the window reconnects by itself.</source>
        <translation>暂时连不上小店的数据库（网络或服务器断开）。数据不会丢失：恢复连接前无法保存修改，提醒会暂停，软件会自动重新连接。</translation>
    </message>
    <message>
        <source>The shop&apos;s database cannot be reached; try again when it is back.</source>
        <extracomment>Fonts that carry Simplified-Chinese glyph forms, best first per platform. Without an SC font first in line, fontconfig may pick the Japanese cut of Noto CJK and draw 门/关/说 wrongly.</extracomment>
        <translation>暂时连不上小店的数据库，请在连接恢复后再试。</translation>
    </message>
</context>
<context>
    <name>Media</name>
    <message>
        <source>{name}: {message}</source>
        <translation>{name}：{message}</translation>
    </message>
    <message>
        <source>animated picture: the first frame is used</source>
        <translation>动图：只使用第一帧</translation>
    </message>
    <message>
        <source>the picture is too large to open safely</source>
        <translation>图片太大，无法安全打开</translation>
    </message>
    <message>
        <source>{format} pictures are not supported; use JPEG, PNG, WebP, GIF or HEIC</source>
        <translation>不支持 {format} 格式的图片，请使用 JPEG、PNG、WebP、GIF 或 HEIC</translation>
    </message>
    <message>
        <source>this file is not a picture</source>
        <translation>这个文件不是图片</translation>
    </message>
    <message>
        <source>the picture is damaged or incomplete</source>
        <translation>图片已损坏或不完整</translation>
    </message>
    <message>
        <source>rotated according to the camera&apos;s orientation</source>
        <translation>已按拍摄方向自动旋转</translation>
    </message>
    <message>
        <source>CMYK converted to RGB</source>
        <translation>已将 CMYK 转为 RGB</translation>
    </message>
    <message>
        <source>16-bit picture reduced to 8-bit</source>
        <translation>16 位图片已转为 8 位</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>the file is over {mb} MB</source>
        <translation>文件超过了 {mb} MB</translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation>无法读取该文件</translation>
    </message>
</context>
<context>
    <name>Merge</name>
    <message>
        <source>Choose two different customers to merge.</source>
        <translation>请选择两位不同的客户来合并。</translation>
    </message>
    <message>
        <source>One of the customers was deleted meanwhile.</source>
        <translation>其中一位客户刚刚已被删除。</translation>
    </message>
</context>
<context>
    <name>Missed</name>
    <message>
        <source>Missed posts</source>
        <translation>错过的朋友圈</translation>
    </message>
    <message>
        <source>These posts came due while Moments Desk was closed or the computer was asleep. Post now, choose a new time, or skip. Anything you leave stays in the “Due now” panel.</source>
        <translation>下面这些朋友圈到点时，软件没有打开或电脑在休眠。可以现在发、改个时间，或者跳过。暂不处理的会留在“待处理”面板里。</translation>
    </message>
    <message>
        <source>Post now…</source>
        <translation>现在发…</translation>
    </message>
    <message>
        <source>Reschedule…</source>
        <translation>改时间…</translation>
    </message>
    <message>
        <source>Skip…</source>
        <translation>跳过…</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后再说</translation>
    </message>
    <message>
        <source>Due {time} · {text}</source>
        <translation>原定 {time} · {text}</translation>
    </message>
    <message>
        <source>New time</source>
        <translation>新的时间</translation>
    </message>
    <message>
        <source>Skip this post</source>
        <translation>跳过这条朋友圈</translation>
    </message>
    <message>
        <source>Why is it skipped? (kept in the audit log)</source>
        <translation>为什么跳过？（会记入操作记录）</translation>
    </message>
</context>
<context>
    <name>MomentsPreview</name>
    <message>
        <source>Scheduled {when}</source>
        <extracomment>WeChat&apos;s colour for names and links in Moments. WeChat folds a post&apos;s text behind 全文 after this many lines. Pixel size of each picture, same order; (0, 0) when unknown.</extracomment>
        <translation>计划 {when} 发布</translation>
    </message>
    <message>
        <source>Just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>%n minute(s) ago</source>
        <translation>%n分钟前</translation>
    </message>
    <message>
        <source>%n hour(s) ago</source>
        <translation>%n小时前</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>%n day(s) ago</source>
        <translation>%n天前</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>收起</translation>
    </message>
    <message>
        <source>Full text</source>
        <translation>全文</translation>
    </message>
    <message>
        <source>Like / Comment</source>
        <translation>点赞 / 评论</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>price is empty</source>
        <translation>价格为空</translation>
    </message>
    <message>
        <source>{raw} is not a price</source>
        <translation>{raw} 不是价格</translation>
    </message>
    <message>
        <source>{raw} is ambiguous: write 12.5 for a decimal, 1,299 for thousands</source>
        <translation>{raw} 有歧义：小数请写成 12.5，千位分隔请写成 1,299</translation>
    </message>
    <message>
        <source>{raw} is negative</source>
        <translation>{raw} 是负数</translation>
    </message>
    <message>
        <source>{raw} is too large</source>
        <translation>{raw} 太大了</translation>
    </message>
    <message>
        <source>{raw} has more than two decimals</source>
        <translation>{raw} 超过了两位小数</translation>
    </message>
</context>
<context>
    <name>OrderEditor</name>
    <message>
        <source>{size} · {stock} in stock</source>
        <translation>{size} · 库存 {stock} 件</translation>
    </message>
    <message>
        <source>New order</source>
        <extracomment>the order as this form last loaded it: a save writes only what changed since</extracomment>
        <translation>新建订单</translation>
    </message>
    <message>
        <source>Order {id}</source>
        <translation>订单 {id}</translation>
    </message>
    <message>
        <source>Search a customer (name, pinyin, phone)</source>
        <translation>搜索客户（名字、拼音、手机号）</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Saved address</source>
        <translation>已存地址</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>收件信息</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>商品明细</translation>
    </message>
    <message>
        <source>Search a product (code, name, pinyin)</source>
        <translation>搜索商品（货号、名称、拼音）</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加商品</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>删除所选行</translation>
    </message>
    <message>
        <source>Product</source>
        <extracomment>A line was added, removed or edited (the total needs working out again).</extracomment>
        <translation>商品</translation>
    </message>
    <message>
        <source>Size / colour</source>
        <translation>尺码 / 颜色</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>The items of a paid order are fixed: cancel it and create a new one to change them.</source>
        <translation>已付款订单的商品不能再改：如需修改，请取消后重新下单。</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Shipping fee</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>Shipping</source>
        <translation>物流</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose a customer…</source>
        <translation>请选择客户…</translation>
    </message>
    <message>
        <source>{product} · {price} · {stock} in stock</source>
        <translation>{product} · {price} · 库存 {stock}</translation>
    </message>
    <message>
        <source>Keep this order&apos;s address</source>
        <translation>保留订单原有地址</translation>
    </message>
    <message>
        <source>No saved address: type it below</source>
        <translation>没有已存地址：请在下方填写</translation>
    </message>
    <message>
        <source>Line {row} ({name}): {error}</source>
        <translation>第 {row} 行（{name}）：{error}</translation>
    </message>
</context>
<context>
    <name>OrderSettings</name>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>when the order is paid</source>
        <translation>订单付款时</translation>
    </message>
    <message>
        <source>as soon as the order is created</source>
        <translation>订单创建时</translation>
    </message>
    <message>
        <source>Take stock</source>
        <translation>扣减库存</translation>
    </message>
    <message>
        <source>A cancelled order always puts its pieces back. Unpaid orders still count as promised when places are allocated, so stock is never promised twice.</source>
        <translation>取消的订单总会把库存退回。分配名额时，未付款订单占用的件数也算作已承诺，同一件货不会被许给两个人。</translation>
    </message>
</context>
<context>
    <name>Orders</name>
    <message>
        <source>{label}: this size or colour was removed meanwhile.</source>
        <translation>{label}：这个颜色或尺码刚刚被删除了。</translation>
    </message>
    <message>
        <source>{label}: choose the size or colour ({choices}).</source>
        <translation>{label}：请选择颜色或尺码（{choices}）。</translation>
    </message>
    <message>
        <source>{label}: this product was deleted meanwhile.</source>
        <translation>{label}：这件商品刚刚已被删除。</translation>
    </message>
    <message>
        <source>{label}: only {left} left in stock, {quantity} needed.</source>
        <translation>{label}：库存只剩 {left} 件，需要 {quantity} 件。</translation>
    </message>
    <message>
        <source>Choose the customer of this order.</source>
        <extracomment>The size/colour as written (&quot;黑色 M&quot;); filled from the variant when one is chosen. The product variant (SKU) whose stock the line moves; None: the product&apos;s only one, or the one whose label is ``variant``.</extracomment>
        <translation>请选择这笔订单的客户。</translation>
    </message>
    <message>
        <source>An order needs at least one item.</source>
        <translation>订单至少要有一件商品。</translation>
    </message>
    <message>
        <source>Line {number}: the product name is empty.</source>
        <translation>第 {number} 行：商品名称为空。</translation>
    </message>
    <message>
        <source>{label}: the quantity must be at least 1, not {quantity}.</source>
        <translation>{label}：数量至少为 1，不能是 {quantity}。</translation>
    </message>
    <message>
        <source>{label}: {quantity} pieces is more than {MAX_QUANTITY}.</source>
        <translation>{label}：{quantity} 件超过了上限 {MAX_QUANTITY} 件。</translation>
    </message>
    <message>
        <source>{label}: the unit price cannot be negative.</source>
        <translation>{label}：单价不能为负数。</translation>
    </message>
    <message>
        <source>The discount cannot be negative.</source>
        <translation>优惠不能为负数。</translation>
    </message>
    <message>
        <source>The shipping fee cannot be negative.</source>
        <translation>运费不能为负数。</translation>
    </message>
    <message>
        <source>The discount is larger than the items&apos; total.</source>
        <translation>优惠超过了商品总价。</translation>
    </message>
    <message>
        <source>This customer was deleted meanwhile.</source>
        <translation>这位客户刚刚已被删除。</translation>
    </message>
    <message>
        <source>Customer</source>
        <extracomment>Customers and products a search in the editor offers; the seller narrows the search rather than scrolling. the buyer&apos;s saved addresses (none when the order has no customer) (customer id, &quot;name · account&quot;) (product id, &quot;code name&quot;, price, stock) product id → &quot;S 1 · M 3&quot; for products sold in several sizes what the conflict sentence calls each field of the order editor</extracomment>
        <translation>客户</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Shipping fee</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Order {order_id} was deleted meanwhile.</source>
        <translation>订单 {order_id} 刚刚已被删除。</translation>
    </message>
    <message>
        <source>Order {order_id} is already paid: its items can no longer change. Cancel it and create a new one.</source>
        <translation>订单 {order_id} 已付款，商品不能再修改。请取消它并新建一笔订单。</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>No.</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>From post</source>
        <translation>来源朋友圈</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递</translation>
    </message>
    <message>
        <source>(deleted customer)</source>
        <translation>（已删除的客户）</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>Mark shipped</source>
        <translation>标记发货</translation>
    </message>
    <message>
        <source>Mark %n order(s) as shipped?</source>
        <translation>将 %n 个订单标记为已发货？</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Packing list</source>
        <translation>配货单</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>HTML…</source>
        <translation>HTML…</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>For the selected orders, or every paid order shown when none is selected</source>
        <translation>针对选中的订单；未选中时为列表里所有已付款订单</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>新建订单</translation>
    </message>
    <message>
        <source>Search customer (name, pinyin, phone), order no. or tracking no.</source>
        <translation>搜索客户（名字、拼音、手机号）、订单号或快递单号</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>From</source>
        <translation>日期从</translation>
    </message>
    <message>
        <source>Any post</source>
        <translation>全部朋友圈</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>修改状态</translation>
    </message>
    <message>
        <source>%Ln order(s) shown</source>
        <translation>显示 %Ln 个订单</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>修改状态</translation>
    </message>
    <message>
        <source>Set %n order(s) to “{status}”?</source>
        <translation>将 %n 个订单改为“{status}”？</translation>
    </message>
    <message>
        <source>Some orders were not changed</source>
        <translation>部分订单未修改</translation>
    </message>
    <message>
        <source>%n order(s) cannot go to “{status}” from where they are:</source>
        <translation>有 %n 个订单当前状态不能改为“{status}”：</translation>
    </message>
    <message>
        <source>Select the orders to pack (or show paid orders) first.</source>
        <translation>请先选中要打包的订单（或筛选出已付款订单）。</translation>
    </message>
    <message>
        <source>Save packing list</source>
        <translation>保存配货单</translation>
    </message>
    <message>
        <source>Packing list · %n parcel(s)</source>
        <translation>配货单 · 共 %n 个包裹</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Size / colour</source>
        <translation>尺码 / 颜色</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>Only an owner can approve or return posts, her own included.</source>
        <translation>只有店主可以审核或退回朋友圈，包括自己写的。</translation>
    </message>
    <message>
        <source>Only an owner can add profiles, change another profile&apos;s name, role or PIN, or unlock one; an assistant can change her own PIN.</source>
        <translation>只有店主可以添加成员、修改他人的名字、角色或 PIN，或解除锁定；助理只能修改自己的 PIN。</translation>
    </message>
    <message>
        <source>Only an owner can restore a backup: it replaces the whole shop.</source>
        <translation>只有店主可以从备份恢复：恢复会替换整个店铺。</translation>
    </message>
    <message>
        <source>Only an owner can back up a shared shop: a backup holds every customer&apos;s phone and address.</source>
        <translation>共享店铺只有店主可以备份：备份里有每位客户的电话和地址。</translation>
    </message>
    <message>
        <source>Only an owner can delete customers.</source>
        <translation>只有店主可以删除客户。</translation>
    </message>
    <message>
        <source>Only an owner can export a customer&apos;s personal data.</source>
        <translation>只有店主可以导出客户的个人信息。</translation>
    </message>
    <message>
        <source>Only an owner can change the posting rules and the approval setting.</source>
        <translation>只有店主可以修改发圈规则和审核设置。</translation>
    </message>
</context>
<context>
    <name>PhoneScreenshots</name>
    <message>
        <source>%n screenshot(s) sent from the phone (no. {numbers} of {total}) are no longer on this computer; send them again from the phone (Send to phone → upload screenshots).</source>
        <translation>手机发来的截图有 %n 张已不在这台电脑上（共 {total} 张中的第 {numbers} 张），请在手机上重新上传（发到手机 → 上传截图）。</translation>
    </message>
    <message>
        <source>Read %n screenshot(s) sent from the phone</source>
        <translation>读取手机发来的截图（%n 张）</translation>
    </message>
    <message>
        <source>Screenshots of this post uploaded from the phone, read on this computer like files you choose.</source>
        <translation>从手机上传的这条朋友圈的截图，和你选择的文件一样，在这台电脑上识别。</translation>
    </message>
    <message>
        <source>None for this post yet: send the post to the phone (Send to phone), then upload screenshots of its likes and comments there.</source>
        <translation>这条朋友圈还没有截图：先把它发到手机（发到手机），再在手机上上传点赞和评论的截图。</translation>
    </message>
</context>
<context>
    <name>PictureTools</name>
    <message>
        <source>Nine-grid and collage</source>
        <translation>九宫格与拼图</translation>
    </message>
    <message>
        <source>Cut one picture into 9 squares (九宫格)</source>
        <translation>一张图切成九宫格</translation>
    </message>
    <message>
        <source>Combine up to 9 pictures into one</source>
        <translation>最多 9 张图拼成一张</translation>
    </message>
    <message>
        <source>Choose pictures…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <source>No picture chosen</source>
        <translation>还没有选择图片</translation>
    </message>
    <message>
        <source>Square from</source>
        <translation>裁成方形：取</translation>
    </message>
    <message>
        <source>the top</source>
        <translation>上部</translation>
    </message>
    <message>
        <source>the middle</source>
        <translation>中间</translation>
    </message>
    <message>
        <source>the bottom</source>
        <translation>下部</translation>
    </message>
    <message>
        <source>the whole picture, on white</source>
        <translation>整张图（白底留边）</translation>
    </message>
    <message>
        <source>A phone photo is taller than wide: choose which part becomes the nine squares.</source>
        <translation>手机照片是竖的：选择用哪一部分切成九宫格。</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>optional, e.g. your shop name or WeChat ID</source>
        <translation>可选，例如店名或微信号</translation>
    </message>
    <message>
        <source>This is how the post looks in Moments. Export saves the pictures numbered in posting order.</source>
        <translation>这是发到朋友圈后的样子。导出时图片会按发布顺序编号保存。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>A collage holds at most 9 pictures; the first 9 are used.</source>
        <translation>拼图最多 9 张，只用前 9 张。</translation>
    </message>
    <message>
        <source>Could not prepare the pictures</source>
        <translation>图片处理失败</translation>
    </message>
</context>
<context>
    <name>Planner</name>
    <message>
        <source>%n draft(s) created.</source>
        <translation>已生成 %n 条草稿。</translation>
    </message>
    <message>
        <source>%n slot(s) already had a post and were left as they are.</source>
        <translation>%n 个时段已有朋友圈，保持不变。</translation>
    </message>
    <message>
        <source>%n slot(s) stay empty:</source>
        <translation>%n 个时段仍空着：</translation>
    </message>
    <message>
        <source>Drafting the next %n week(s)…</source>
        <translation>正在为接下来 %n 周起草…</translation>
    </message>
    <message>
        <source>Plan 4 weeks</source>
        <translation>规划 4 周</translation>
    </message>
    <message>
        <source>Nothing was drafted</source>
        <translation>没有生成草稿</translation>
    </message>
    <message>
        <source>Friends mute accounts that only sell. Aim for about {target}% product posts and the rest about life, styling tips and buyer feedback.</source>
        <translation>只卖货的朋友圈会被好友屏蔽。商品圈控制在约 {target}%，其余发生活、穿搭建议和买家反馈。</translation>
    </message>
    <message>
        <source>Mix of the week: no posts yet</source>
        <translation>当周配比：还没有朋友圈</translation>
    </message>
    <message>
        <source>This week: sales {sales} : other {other} · {pct}% (target {target}%)</source>
        <translation>当周配比：卖货 {sales} : 其他 {other} · {pct}%（目标 {target}%）</translation>
    </message>
    <message>
        <source>Planner</source>
        <extracomment>emitted after every load (tests and the bench wait on it)</extracomment>
        <translation>排期</translation>
    </message>
    <message>
        <source>Your weekly rhythm per account: slots, drafts and what the anti-spam rules say. Drag a post to move it; double-click to edit.</source>
        <translation>每个微信号的每周节奏：时段、草稿和防刷屏规则的提醒。拖动朋友圈可改时间，双击编辑。</translation>
    </message>
    <message>
        <source>Previous (Page Up)</source>
        <translation>上一页（Page Up）</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Today (Home)</source>
        <translation>今天（Home）</translation>
    </message>
    <message>
        <source>Next (Page Down)</source>
        <translation>下一页（Page Down）</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Content library…</source>
        <translation>素材库…</translation>
    </message>
    <message>
        <source>New post</source>
        <translation>新建朋友圈</translation>
    </message>
    <message>
        <source>Fill this account&apos;s empty slots in the next 4 weeks with drafts: new arrivals first, then products not posted for a while. Posts you edited stay as they are.</source>
        <translation>用草稿填满这个微信号接下来 4 周的空时段：先排新品，再排很久没发过的商品。你改过的朋友圈保持不变。</translation>
    </message>
    <message>
        <source>Weekly slots…</source>
        <translation>每周时段…</translation>
    </message>
    <message>
        <source>Anti-spam rules…</source>
        <translation>防刷屏规则…</translation>
    </message>
    <message>
        <source>Red border: breaks a rule (cannot be scheduled) · amber: a warning · dashed: empty slot</source>
        <translation>红框：违反规则（不能排期）· 黄框：提醒 · 虚线：空时段</translation>
    </message>
    <message>
        <source>Warnings in view</source>
        <translation>当前视图的提醒</translation>
    </message>
    <message>
        <source>Add a WeChat account in Settings first: every plan is per account.</source>
        <translation>请先在设置中添加微信号：排期按微信号分别规划。</translation>
    </message>
    <message>
        <source>{year}-{month:02d}</source>
        <translation>{year}年{month:02d}月</translation>
    </message>
    <message>
        <source>No rule is broken in this view.</source>
        <translation>当前视图没有违反规则。</translation>
    </message>
    <message>
        <source>{posts} posts, {empty} empty slots in view</source>
        <translation>当前视图：{posts} 条朋友圈，{empty} 个空时段</translation>
    </message>
    <message>
        <source>Post not moved</source>
        <translation>没有移动</translation>
    </message>
    <message>
        <source>The post stays where it was: at {when} it would break a rule.

{rules}</source>
        <translation>这条朋友圈留在原处：放到 {when} 会违反规则。

{rules}</translation>
    </message>
    <message>
        <source>Mon</source>
        <extracomment>The day starts here unless a post or slot sits earlier (e.g. after a time-zone change).</extracomment>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>{time} {name}
empty slot</source>
        <translation>{time} {name}
空时段</translation>
    </message>
    <message>
        <source>Product updated · </source>
        <extracomment>Fill and text colour per status: drafts pale, scheduled green, due orange, done grey. A thin bar on the left says the kind at a glance: sales warm, non-sales cool.</extracomment>
        <translation>商品已更新 · </translation>
    </message>
    <message>
        <source>(text to write)</source>
        <translation>（待写文案）</translation>
    </message>
</context>
<context>
    <name>PlanningDates</name>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>1月</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>2月</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>3月</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>4月</translation>
    </message>
    <message>
        <source>May</source>
        <translation>5月</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>6月</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>7月</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>8月</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>9月</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>10月</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>11月</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>12月</translation>
    </message>
    <message>
        <source>{weekday} {day} {month}</source>
        <translation>{month}{day}日（{weekday}）</translation>
    </message>
</context>
<context>
    <name>PlanningErrors</name>
    <message>
        <source>The template uses {placeholder}, which is not a placeholder. Known: {known}.</source>
        <extracomment>Errors (``PlanningError.code``) and slot problems (``SlotProblem.code``)</extracomment>
        <translation>模板里的 {placeholder} 不是可用的占位符。可用：{known}。</translation>
    </message>
    <message>
        <source>The template has an unmatched brace. Write {{ or }} for a brace.</source>
        <translation>模板里有不成对的花括号。要写花括号本身请写 {{ 或 }}。</translation>
    </message>
    <message>
        <source>{first} and {second} are at the same time on the same account. Delete one or move it.</source>
        <translation>{first} 和 {second} 在同一个号的同一时间。删掉一个或换个时间。</translation>
    </message>
    <message>
        <source>{first} and {second} are only {gap_minutes} minutes apart; this account keeps at least {limit_minutes} minutes between posts.</source>
        <translation>{first} 和 {second} 只隔 {gap_minutes} 分钟，本号两条朋友圈至少隔 {limit_minutes} 分钟。</translation>
    </message>
    <message>
        <source>{time} is inside the quiet hours {start}–{end}: friends are asleep.</source>
        <translation>{time} 在免打扰时段 {start}–{end} 内，好友都睡了。</translation>
    </message>
    <message>
        <source>Weekday {weekday} does not exist.</source>
        <translation>不存在星期 {weekday}。</translation>
    </message>
    <message>
        <source>{setting} must be between {low} and {high} (got {value}).</source>
        <translation>{setting} 必须在 {low} 到 {high} 之间（现在是 {value}）。</translation>
    </message>
    <message>
        <source>{zone} is not a time zone, e.g. Asia/Shanghai.</source>
        <translation>{zone} 不是时区，例如 Asia/Shanghai。</translation>
    </message>
    <message>
        <source>This account was removed meanwhile.</source>
        <translation>这个微信号已被删除。</translation>
    </message>
    <message>
        <source>This slot was removed meanwhile.</source>
        <translation>这个时段已被删除。</translation>
    </message>
    <message>
        <source>This post was removed meanwhile.</source>
        <translation>这条朋友圈已被删除。</translation>
    </message>
    <message>
        <source>A picture was removed meanwhile.</source>
        <translation>有图片已被删除。</translation>
    </message>
    <message>
        <source>A product was removed meanwhile.</source>
        <translation>有商品已被删除。</translation>
    </message>
    <message>
        <source>A tag was removed meanwhile.</source>
        <translation>有标签已被删除。</translation>
    </message>
    <message>
        <source>部分可见 / 不给谁看 needs at least one customer tag.</source>
        <translation>部分可见 / 不给谁看 至少要选一个客户标签。</translation>
    </message>
    <message>
        <source>A post time must carry its time zone.</source>
        <translation>发布时间缺少时区。</translation>
    </message>
    <message>
        <source>A post that was posted or skipped can no longer be changed.</source>
        <translation>已发布或已跳过的朋友圈不能再修改。</translation>
    </message>
    <message>
        <source>A person edited this post; auto-drafting leaves it alone.</source>
        <translation>这条朋友圈已被人工修改，自动草稿不会覆盖它。</translation>
    </message>
    <message>
        <source>{field} was changed on another computer while you were editing: saved there “{theirs}”, yours “{mine}”{more}. Your changes are still in the composer: save again to keep yours, or reopen the post to take theirs.</source>
        <translation>你编辑期间，另一台电脑修改了{field}：那边保存的是“{theirs}”，你的是“{mine}”{more}。你的修改仍在编辑框里：再次保存即保留你的版本，或重新打开这条朋友圈采用对方的版本。</translation>
    </message>
    <message>
        <source>Another computer saved this post at the same moment. Your changes are still in the composer: save again.</source>
        <translation>另一台电脑在同一时刻保存了这条朋友圈。你的修改仍在编辑框里，请再次保存。</translation>
    </message>
    <message>
        <source>This post went out; its likes and orders refer to it. Keep it.</source>
        <translation>这条朋友圈已经发出，点赞和订单都关联着它，请保留。</translation>
    </message>
    <message>
        <source>A {status} post cannot become {target}.</source>
        <translation>“{status}”状态的朋友圈不能改成“{target}”。</translation>
    </message>
    <message>
        <source>Plan between 1 and 53 weeks ahead.</source>
        <translation>只能规划未来 1 到 53 周。</translation>
    </message>
    <message>
        <source>This draft is still to be written (待写): write the post, then schedule it.</source>
        <translation>这条还是待写草稿：先写好内容，再排期。</translation>
    </message>
    <message>
        <source> (and {count} more fields)</source>
        <translation>（另有 {count} 项）</translation>
    </message>
</context>
<context>
    <name>PostFields</name>
    <message>
        <source>Kind</source>
        <extracomment>Composer fields as an edit conflict names them.</extracomment>
        <translation>类型</translation>
    </message>
    <message>
        <source>The text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>WeChat accounts</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>可见范围</translation>
    </message>
    <message>
        <source>Audience tags</source>
        <translation>可见标签</translation>
    </message>
    <message>
        <source>The time</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>时段</translation>
    </message>
</context>
<context>
    <name>PostKindLabels</name>
    <message>
        <source>New arrival</source>
        <extracomment>PostKind value → label</extracomment>
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
</context>
<context>
    <name>PostStatusLabels</name>
    <message>
        <source>Draft</source>
        <extracomment>PostStatus value → label</extracomment>
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
        <translation>到点待发</translation>
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
    <name>PostsReport</name>
    <message>
        <source>Every post (click a heading to sort)</source>
        <extracomment>Table column → the SQL sort it asks for.</extracomment>
        <translation>每条朋友圈（点表头排序）</translation>
    </message>
    <message>
        <source>Orders per post by weekday and hour</source>
        <translation>按星期和时段的每条平均订单</translation>
    </message>
    <message>
        <source>By kind of post</source>
        <translation>按内容类型</translation>
    </message>
    <message>
        <source>Revenue by product category</source>
        <translation>按商品类目的销售额</translation>
    </message>
    <message>
        <source>Cadence kept vs missed</source>
        <translation>发布节奏：按时 vs 错过</translation>
    </message>
    <message>
        <source>Sales and stock by size</source>
        <translation>各尺码销量与库存</translation>
    </message>
    <message>
        <source>Posts: %n</source>
        <translation>共 %n 条</translation>
    </message>
    <message>
        <source>{day} {hour}:00 · {posts} posts · {orders} orders · {per} orders per post · {inter} interactions</source>
        <translation>{day} {hour}:00 · {posts} 条 · {orders} 单 · 每条 {per} 单 · 互动 {inter} 次</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{day} {hour}:00 ({per} orders/post)</source>
        <translation>{day} {hour}:00（每条 {per} 单）</translation>
    </message>
    <message>
        <source>Best times to post in this range: {slots}</source>
        <translation>这段时间最好的发布时段：{slots}</translation>
    </message>
    <message>
        <source>No posted posts in this range yet: mark posts as posted to see what works.</source>
        <translation>这段时间还没有已发布的朋友圈：发完后标记为已发布，就能看到效果。</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>条数</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无类目）</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>按时发布</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>错过</translation>
    </message>
    <message>
        <source>{kept} of {planned} kept</source>
        <translation>{planned} 次中按时 {kept} 次</translation>
    </message>
</context>
<context>
    <name>Privacy</name>
    <message>
        <source>This customer was deleted meanwhile.</source>
        <extracomment>Untouched 买家秀 drafts quoting her, deleted with her.</extracomment>
        <translation>这位客户刚刚已被删除。</translation>
    </message>
</context>
<context>
    <name>ProductEditor</name>
    <message>
        <source>cover</source>
        <translation>封面</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新商品</translation>
    </message>
    <message>
        <source>e.g. 新品, 百搭 (comma separated)</source>
        <translation>例如：新品，百搭（用逗号分隔）</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pictures (drag to reorder; the first is the cover, at most 9)</source>
        <translation>图片（拖动调整顺序；第一张为封面，最多 9 张）</translation>
    </message>
    <message>
        <source>Add pictures…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Pictures for Moments…</source>
        <translation>导出发圈图片…</translation>
    </message>
    <message>
        <source>Save this product&apos;s pictures numbered 1–9, sized and marked as set in Settings</source>
        <translation>按“设置”中的尺寸和水印，把这件商品的图片按 1–9 编号保存</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>取消归档</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>ProductImport</name>
    <message>
        <source>{text} is not a date; write 2026-11-24</source>
        <translation>{text} 不是日期；请写成 2026-11-24</translation>
    </message>
    <message>
        <source>{text} does not exist</source>
        <translation>{text} 这个日期不存在</translation>
    </message>
    <message>
        <source>{name}: not a picture the shop takes (JPEG, PNG, WebP, GIF or HEIC); it is left out</source>
        <translation>{name}：不是本软件支持的图片格式（JPEG、PNG、WebP、GIF 或 HEIC），已跳过</translation>
    </message>
    <message>
        <source>no column chosen for {names}</source>
        <translation>还没有为 {names} 选择列</translation>
    </message>
    <message>
        <source>{code} is also used in row {first_row}</source>
        <extracomment>code → the planned product whose later rows are its variants</extracomment>
        <translation>{code} 与第 {first_row} 行重复</translation>
    </message>
    <message>
        <source>{stock_text} is not a whole number of pieces</source>
        <translation>{stock_text} 不是整数件数</translation>
    </message>
    <message>
        <source>{status_text} is not 在售, 售罄 or 下架</source>
        <translation>{status_text} 不是 在售、售罄 或 下架</translation>
    </message>
    <message>
        <source>{name} was not found</source>
        <translation>找不到 {name}</translation>
    </message>
    <message>
        <source>row {row}: only the first 9 of {count} pictures are used</source>
        <translation>第 {row} 行：{count} 张图片中只用前 9 张</translation>
    </message>
    <message>
        <source>{code} is already in the catalogue</source>
        <translation>{code} 已在商品库中</translation>
    </message>
    <message>
        <source>the import has errors; fix them first</source>
        <translation>导入内容有错误，请先改正</translation>
    </message>
    <message>
        <source>row {row}: {error}</source>
        <translation>第 {row} 行：{error}</translation>
    </message>
    <message>
        <source>{count} attributes is more than {limit} in one cell</source>
        <translation>一个单元格里有 {count} 个属性，最多 {limit} 个</translation>
    </message>
    <message>
        <source>{pair} is not name:value, as in 颜色分类:黑色;尺码:M</source>
        <translation>{pair} 不是“名称:值”的格式，应写成 颜色分类:黑色;尺码:M</translation>
    </message>
    <message>
        <source>{pair} is longer than {limit} characters</source>
        <translation>{pair} 超过 {limit} 个字</translation>
    </message>
    <message>
        <source>a colour or size is longer than {limit} characters</source>
        <translation>颜色或尺码超过 {limit} 个字</translation>
    </message>
    <message>
        <source>{label} is already in an earlier row</source>
        <translation>{label} 在前面的行里已经有了</translation>
    </message>
    <message>
        <source>more than {limit} variants for {code}</source>
        <translation>{code} 的规格超过 {limit} 个</translation>
    </message>
    <message>
        <source>row {row}: {code} has sizes or colours; its stock stays as set per size</source>
        <translation>第 {row} 行：{code} 有颜色尺码，库存仍按各规格保留</translation>
    </message>
</context>
<context>
    <name>ProductsModel</name>
    <message>
        <source>Sizes</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Last posted</source>
        <translation>上次发圈</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>New product</source>
        <extracomment>after a conflicting save: the other computer&apos;s version, so saving again keeps ours</extracomment>
        <translation>新商品</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Nine-grid…</source>
        <translation>九宫格…</translation>
    </message>
    <message>
        <source>Search name, code, tag or pinyin (e.g. lyq for 连衣裙)</source>
        <translation>搜索名称、货号、标签或拼音（如 lyq 找连衣裙）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>New arrivals (%n days)</source>
        <translation>新品（%n 天内）</translation>
    </message>
    <message>
        <source>Not posted for</source>
        <translation>超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>加标签…</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>改状态</translation>
    </message>
    <message>
        <source>Adjust stock…</source>
        <translation>调整库存…</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>%Ln product(s) shown</source>
        <translation>显示 %Ln 件商品</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>The product you were editing has unsaved changes. Discard them?</source>
        <translation>正在编辑的商品有未保存的修改，要放弃吗？</translation>
    </message>
    <message>
        <source>（copy）</source>
        <translation>（副本）</translation>
    </message>
    <message>
        <source>Delete products</source>
        <translation>删除商品</translation>
    </message>
    <message>
        <source>Delete %Ln product(s) for good? Products that posts or orders refer to are kept; archive those instead.</source>
        <translation>永久删除 %Ln 件商品吗？被朋友圈或订单用到的商品会保留，请改为归档。</translation>
    </message>
    <message>
        <source>Some products were kept</source>
        <translation>部分商品已保留</translation>
    </message>
    <message>
        <source>Deleted: %Ln. Kept because posts, orders or allocations refer to them: {kept}.</source>
        <translation>已删除 %Ln 件。因被朋友圈、订单或分配记录使用而保留：{kept} 件。</translation>
    </message>
    <message>
        <source>Archive those</source>
        <translation>把它们归档</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>加标签</translation>
    </message>
    <message>
        <source>Tag for the %Ln selected product(s):</source>
        <translation>给选中的 %Ln 件商品加标签：</translation>
    </message>
    <message>
        <source>Adjust stock</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>Add to the stock of each selected product (negative to remove):</source>
        <translation>给每件选中商品增加的库存（负数为减少）：</translation>
    </message>
    <message>
        <source>Add pictures</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <source>Only 9 pictures fit in a post; %Ln were not added.</source>
        <translation>一条朋友圈最多 9 张图，有 %Ln 张没有加入。</translation>
    </message>
    <message>
        <source>About these pictures</source>
        <translation>关于这些图片</translation>
    </message>
    <message>
        <source>Export products</source>
        <translation>导出商品</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>%Ln product(s) written to {file}.</source>
        <translation>已导出 %Ln 件商品到 {file}。</translation>
    </message>
</context>
<context>
    <name>Publish</name>
    <message>
        <source>This post was deleted.</source>
        <translation>这条朋友圈已被删除。</translation>
    </message>
    <message>
        <source>This post (or this account) was already recorded as posted or skipped.</source>
        <translation>这条朋友圈（或这个微信号）已经记为已发或跳过。</translation>
    </message>
    <message>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>Choose a time in the future.</source>
        <translation>请选择一个将来的时间。</translation>
    </message>
    <message>
        <source>A picture of this post is missing from the data folder: {file}</source>
        <translation>数据文件夹里缺少这条朋友圈的一张图片：{file}</translation>
    </message>
    <message>
        <source>Publish helper</source>
        <extracomment>Replaced in tests; opens the exported folder in the file manager.</extracomment>
        <translation>发圈助手</translation>
    </message>
    <message>
        <source>Moments Desk never posts for you and never touches WeChat. It prepares the text and pictures; you post from your phone, then record it here.</source>
        <translation>本软件不会替你发朋友圈，也不操控微信。它只准备好文案和图片；你用手机亲手发布，然后在这里记一下。</translation>
    </message>
    <message>
        <source>① Copy text</source>
        <translation>① 复制文案</translation>
    </message>
    <message>
        <source>② Export pictures and open folder</source>
        <translation>② 导出图片并打开文件夹</translation>
    </message>
    <message>
        <source>③ Who can see it</source>
        <translation>③ 谁可以看</translation>
    </message>
    <message>
        <source>Skip…</source>
        <translation>跳过…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Send to phone</source>
        <translation>发到手机</translation>
    </message>
    <message>
        <source>A QR code: the text and pictures open on your phone, ready to post</source>
        <translation>扫码后文案和图片直接在手机上打开，方便发布</translation>
    </message>
    <message>
        <source>{kind} · planned for {time} · {status}</source>
        <translation>{kind} · 计划 {time} · {status}</translation>
    </message>
    <message>
        <source>This post has no pictures.</source>
        <translation>这条朋友圈没有图片。</translation>
    </message>
    <message>
        <source>%n picture(s), numbered in posting order</source>
        <translation>%n 张图片，按发布顺序编号</translation>
    </message>
    <message>
        <source>部分可见 (visible to): choose the tags {tags}</source>
        <translation>部分可见：选择标签 {tags}</translation>
    </message>
    <message>
        <source>不给谁看 (hidden from): choose the tags {tags}</source>
        <translation>不给谁看：选择标签 {tags}</translation>
    </message>
    <message>
        <source>公开: everyone can see it</source>
        <translation>公开：所有朋友可见</translation>
    </message>
    <message>
        <source>④ After posting from the phone, record it for each account:</source>
        <translation>④ 在手机上发完后，按微信号逐个记为已发：</translation>
    </message>
    <message>
        <source>This post</source>
        <translation>这条朋友圈</translation>
    </message>
    <message>
        <source>Posted at {time}</source>
        <translation>{time} 已发</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已发</translation>
    </message>
    <message>
        <source>Copied. Paste it into WeChat on your phone.</source>
        <translation>已复制，到手机微信里粘贴即可。</translation>
    </message>
    <message>
        <source>%n picture(s) saved as 1–%n in {folder}</source>
        <translation>%n 张图片已按 1–%n 编号保存到 {folder}</translation>
    </message>
    <message>
        <source>Skip this post</source>
        <translation>跳过这条朋友圈</translation>
    </message>
    <message>
        <source>Why is it skipped? (kept in the audit log)</source>
        <translation>为什么跳过？（会记入操作记录）</translation>
    </message>
</context>
<context>
    <name>QuickEntry</name>
    <message>
        <source>Like</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Private chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>remark name</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>pinyin</source>
        <translation>拼音</translation>
    </message>
    <message>
        <source>{score}% alike</source>
        <translation>相似度 {score}%</translation>
    </message>
    <message>
        <source>Account</source>
        <extracomment>the seller asks to give the recorded order intents a place (前 N 名)</extracomment>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Likes and comments, as WeChat shows them</source>
        <translation>点赞和评论（按微信显示的样子）</translation>
    </message>
    <message>
        <source>Private chats (私聊)</source>
        <translation>私聊咨询</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>下单</translation>
    </message>
    <message>
        <source>Paste or type the names under the post, in the order WeChat shows them:
小美, 阿花, Lily🌸        ← likes (commas, 、 or one per line)
小美：好看！多少钱        ← a comment keeps its text
Or paste a screenshot (Ctrl+V), drop screenshots here, or choose them.</source>
        <translation>按微信显示的顺序粘贴或输入这条朋友圈下的名字：
小美, 阿花, Lily🌸        ← 点赞（逗号、顿号或每行一个）
小美：好看！多少钱        ← 评论连同内容
也可以粘贴截图（Ctrl+V）、把截图拖到这里，或选择截图文件。</translation>
    </message>
    <message>
        <source>Match names</source>
        <translation>匹配名字</translation>
    </message>
    <message>
        <source>From screenshots…</source>
        <translation>从截图识别…</translation>
    </message>
    <message>
        <source>Read likes and comments from screenshots of the post, on this computer (names never leave it). Ctrl+V pastes one; you can also drop files here.</source>
        <translation>在本机从这条朋友圈的截图识别点赞和评论（名字不会离开这台电脑）。Ctrl+V 粘贴截图，也可以把图片拖到这里。</translation>
    </message>
    <message>
        <source>Unknown → new customers</source>
        <translation>未匹配的→新建客户</translation>
    </message>
    <message>
        <source>Every name not matched for sure becomes a new customer</source>
        <translation>所有没有确定匹配的名字都新建为客户</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>As pasted</source>
        <translation>粘贴的名字</translation>
    </message>
    <message>
        <source>On the screenshot</source>
        <translation>截图原文</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>对应客户</translation>
    </message>
    <message>
        <source>Choose a posted post first.</source>
        <translation>请先选择一条已发布的朋友圈。</translation>
    </message>
    <message>
        <source>Paste some names first.</source>
        <translation>请先粘贴名字。</translation>
    </message>
    <message>
        <source>This comment reads as an order; after recording, offer it a place in First N, in comment order.</source>
        <translation>这条评论像是下单；记录后可按评论先后在“前 N 名”里给她名额。</translation>
    </message>
    <message>
        <source>Pasted %n times; recorded once</source>
        <translation>粘贴了 %n 次，只记录一次</translation>
    </message>
    <message>
        <source>+ New customer “{name}”</source>
        <translation>+ 新建客户“{name}”</translation>
    </message>
    <message>
        <source>Leave out</source>
        <translation>不记录</translation>
    </message>
    <message>
        <source>%n matched</source>
        <translation>已匹配 %n</translation>
    </message>
    <message>
        <source>%n to check (amber)</source>
        <translation>待确认 %n（黄色）</translation>
    </message>
    <message>
        <source>%n new (blue)</source>
        <translation>新客户 %n（蓝色）</translation>
    </message>
    <message>
        <source>duplicates collapsed: {names}</source>
        <translation>重复已合并：{names}</translation>
    </message>
    <message>
        <source>%n order intent(s) (green)</source>
        <translation>%n 条下单评论（绿色）</translation>
    </message>
    <message>
        <source>Record %n</source>
        <translation>记录 %n 条</translation>
    </message>
    <message>
        <source>Give the %n order intent(s) a place in First N →</source>
        <translation>给 %n 条下单评论在“前 N 名”排名额 →</translation>
    </message>
    <message>
        <source>Recorded %n; </source>
        <translation>已记录 %n 条；</translation>
    </message>
    <message>
        <source>%n new customer(s)</source>
        <translation>新建客户 %n 位</translation>
    </message>
    <message>
        <source>; %n like(s) were already on record</source>
        <translation>；%n 个点赞之前已记录</translation>
    </message>
    <message>
        <source>No likes or comments were found on the screenshot. Take it with the likes and comments under the post in view.</source>
        <translation>截图上没有找到点赞或评论。请截取能看到朋友圈下方点赞和评论的画面。</translation>
    </message>
    <message>
        <source>%n reply(ies) by you left out</source>
        <translation>已略过你自己的 %n 条回复</translation>
    </message>
</context>
<context>
    <name>QuickGuide</name>
    <message>
        <source>Plan</source>
        <translation>规划</translation>
    </message>
    <message>
        <source>Plan the week</source>
        <translation>规划本周</translation>
    </message>
    <message>
        <source>Your rhythm (e.g. Tuesday and Thursday 20:00 new arrivals) fills the week with drafts. Move, add or skip posts; the anti-spam checks warn before 刷屏.</source>
        <translation>按你的节奏（比如每周二、四 20:00 上新）自动生成本周草稿。可以挪动、添加或跳过；防刷屏检查会在刷屏之前提醒你。</translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Review the drafts</source>
        <translation>审核草稿</translation>
    </message>
    <message>
        <source>Check text and pictures (up to nine, the best first), who may see the post (部分可见 / 不给谁看) and the first line: long text folds behind 全文.</source>
        <translation>检查文案和图片（最多九张，最好的放第一张）、谁可以看（部分可见 / 不给谁看）以及第一行：文字太长会被折叠到“全文”里。</translation>
    </message>
    <message>
        <source>Planner → open a draft</source>
        <translation>排期 → 打开草稿</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Post from the publish helper</source>
        <translation>用发布助手发朋友圈</translation>
    </message>
    <message>
        <source>When a post is due, the helper copies the text and saves the pictures in order. You post from your phone and mark it posted. The app never touches WeChat.</source>
        <translation>到点后，发布助手复制好文案、按顺序导出图片。你在手机上发布，再标记为已发。软件从不碰微信。</translation>
    </message>
    <message>
        <source>Reminder → Publish helper</source>
        <translation>提醒 → 发布助手</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Record likes and comments</source>
        <translation>记录点赞和评论</translation>
    </message>
    <message>
        <source>Paste or tick who liked, commented or asked in a private chat. Every one of them lands on the customer&apos;s timeline.</source>
        <translation>粘贴或勾选谁点赞、谁评论、谁私聊询问，每一条都会记到客户的时间线上。</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Allocate</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Allocate the stock</source>
        <translation>分配货品</translation>
    </message>
    <message>
        <source>First N likers get the item (点赞前N名), or draw winners among the commenters; the result is fair and can be shown to anyone who asks.</source>
        <translation>点赞前 N 名发货，或在评论的好友中抽奖；结果公平，谁问都可以给他看。</translation>
    </message>
    <message>
        <source>Tracking → Allocate</source>
        <translation>互动 → 分配</translation>
    </message>
    <message>
        <source>Ship</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>Take payment and ship</source>
        <translation>收款发货</translation>
    </message>
    <message>
        <source>Orders follow from the allocation. Mark them paid and shipped; the reports then show what sold and which friends come back.</source>
        <translation>分配结果生成订单。标记已付款、已发货后，报表就能告诉你什么好卖、哪些好友会回购。</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>every week</source>
        <translation>每周循环</translation>
    </message>
    <message>
        <source>Quick guide: your week</source>
        <translation>快速指南：你的一周</translation>
    </message>
    <message>
        <source>Selling in Moments, one week at a time</source>
        <translation>朋友圈卖货，一周一个循环</translation>
    </message>
    <message>
        <source>Friends buy from people they trust and who do not flood their feed. The same six steps every week keep you regular without 刷屏.</source>
        <translation>好友愿意从信任、又不刷屏的人那里买东西。每周重复这六步，让你发得有规律，又不刷屏。</translation>
    </message>
    <message>
        <source>Where: {place}</source>
        <translation>位置：{place}</translation>
    </message>
    <message>
        <source>Tip: hover over any anti-spam rule to see what it counts. Press F1 to open this guide again.</source>
        <translation>提示：鼠标停在任何一条防刷屏规则上，就能看到它怎么计算。按 F1 可以再次打开本指南。</translation>
    </message>
</context>
<context>
    <name>Relay</name>
    <message>
        <source>Choose the WeChat account whose posts go to the phone.</source>
        <translation>请选择要发到手机的微信号。</translation>
    </message>
    <message>
        <source>There is no WeChat account named {name}.</source>
        <translation>没有名为 {name} 的微信号。</translation>
    </message>
    <message>
        <source>This post is not planned for the account {name}.</source>
        <translation>这条朋友圈没有安排在 {name} 发。</translation>
    </message>
    <message>
        <source>The phone relay cannot listen on {address}. Choose another network or close the program that uses it.</source>
        <translation>手机接力无法在 {address} 上监听。请换一个网络，或关闭占用它的程序。</translation>
    </message>
    <message>
        <source>The phone relay could not start: {error}</source>
        <translation>手机接力启动失败：{error}</translation>
    </message>
    <message>
        <source>Send to phone</source>
        <translation>发到手机</translation>
    </message>
    <message>
        <source>The network the phone is on; usually the same Wi-Fi as this computer.</source>
        <translation>手机所在的网络，一般是和这台电脑相同的 Wi-Fi。</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>WeChat account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Preparing the pictures…</source>
        <translation>正在准备图片…</translation>
    </message>
    <message>
        <source>1. Scan the code with WeChat on your phone (phone and computer on the same Wi-Fi).
2. On the phone: 复制文案, save the pictures, post in WeChat.
3. Tap 我已发布 there; this computer records it at once.</source>
        <translation>1. 用手机微信扫码（手机和电脑连同一个 Wi-Fi）。
2. 在手机上：复制文案、保存图片，到微信发朋友圈。
3. 发完在手机上点“我已发布”，电脑会马上记录。</translation>
    </message>
    <message>
        <source>What the phone did</source>
        <translation>手机上的动作</translation>
    </message>
    <message>
        <source>End relay</source>
        <translation>结束接力</translation>
    </message>
    <message>
        <source>{address} (this Wi-Fi)</source>
        <translation>{address}（当前 Wi-Fi）</translation>
    </message>
    <message>
        <source>{address} (this computer only)</source>
        <translation>{address}（仅本机）</translation>
    </message>
    <message>
        <source>Posts due today on {account}: %n</source>
        <translation>{account} 今日待发：%n 条</translation>
    </message>
    <message>
        <source>This post to your phone</source>
        <translation>把这条朋友圈发到手机</translation>
    </message>
    <message>
        <source>at midnight</source>
        <translation>到午夜</translation>
    </message>
    <message>
        <source>after 30 minutes without use</source>
        <translation>30 分钟没人访问</translation>
    </message>
    <message>
        <source>The link works only while this window is open; it ends when you close it or {when}. Anyone on the same network with the link can see the post.</source>
        <translation>只有这个窗口开着时链接才有效；关闭窗口或{when}后失效。同一网络里拿到链接的人都能看到这条内容。</translation>
    </message>
    <message>
        <source>The phone opened the page.</source>
        <translation>手机打开了页面。</translation>
    </message>
    <message>
        <source>every account</source>
        <translation>所有账号</translation>
    </message>
    <message>
        <source>Recorded as posted on {account}.</source>
        <translation>已记录 {account} 已发布。</translation>
    </message>
    <message>
        <source>%n screenshot(s) received and attached to the post.</source>
        <translation>收到 %n 张截图，已保存到这条朋友圈。</translation>
    </message>
    <message>
        <source>An upload from the phone was refused.</source>
        <translation>手机上传的文件被拒收。</translation>
    </message>
    <message>
        <source>The relay ended. Close this window and open it again for a new code.</source>
        <translation>接力已结束。关闭此窗口后重新打开可获得新二维码。</translation>
    </message>
    <message>
        <source>The relay ended.</source>
        <translation>接力已结束。</translation>
    </message>
    <message>
        <source>Pictures fetched by the phone: {got} of {total}</source>
        <translation>手机已取图：{got} / {total}</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message>
        <source>Post due</source>
        <translation>朋友圈到点</translation>
    </message>
    <message>
        <source>Post soon</source>
        <translation>朋友圈快到点</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Unpaid order</source>
        <translation>未付款订单</translation>
    </message>
    <message>
        <source>Quiet customer</source>
        <translation>久未互动的客户</translation>
    </message>
    <message>
        <source>Shipped, not confirmed</source>
        <translation>已发货未确认收货</translation>
    </message>
    <message>
        <source>A Moments post is coming up</source>
        <translation>朋友圈快到点了</translation>
    </message>
    <message>
        <source>A Moments post was missed</source>
        <translation>错过了一条朋友圈</translation>
    </message>
    <message>
        <source>Time to post in Moments</source>
        <translation>该发朋友圈了</translation>
    </message>
    <message>
        <source>At {time}: {text}</source>
        <translation>{time}：{text}</translation>
    </message>
    <message>
        <source>Was due at {time}: {text} — post now, reschedule or skip it.</source>
        <translation>原定 {time}：{text}——现在发、改时间，或跳过。</translation>
    </message>
    <message>
        <source>Due at {time}: {text} — open the publish helper to post it.</source>
        <translation>{time} 到点：{text}——打开发圈助手去发布。</translation>
    </message>
    <message>
        <source>…and %n more</source>
        <translation>……还有 %n 条</translation>
    </message>
    <message>
        <source>lead must be between 0 and 1440 minutes</source>
        <translation>提前时间必须在 0 到 1440 分钟之间</translation>
    </message>
    <message>
        <source>a reminder needs a timezone-aware time</source>
        <translation>提醒需要带时区的时间</translation>
    </message>
    <message>
        <source>The shop was restored from a backup</source>
        <translation>小店已从备份恢复</translation>
    </message>
    <message>
        <source>Someone on another computer restored the shared shop from a backup. Every page now shows the restored data; the audit log says who, and which backup.</source>
        <translation>另一台电脑上有人把共享小店从备份恢复了。各页面现在显示的是恢复后的数据；操作日志里记录了是谁、用的哪个备份。</translation>
    </message>
</context>
<context>
    <name>ReportTitles</name>
    <message>
        <source>Posted</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Inquiries</source>
        <translation>私聊</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>Friends who could see it</source>
        <translation>可见好友数</translation>
    </message>
    <message>
        <source>Orders ÷ friends</source>
        <translation>订单 ÷ 可见好友</translation>
    </message>
    <message>
        <source>Orders ÷ interactions</source>
        <translation>订单 ÷ 互动</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>条数</translation>
    </message>
    <message>
        <source>Orders per post</source>
        <translation>每条平均订单</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>时</translation>
    </message>
    <message>
        <source>Interactions</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>错过</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>分层</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>At this stage</source>
        <translation>处于该阶段</translation>
    </message>
    <message>
        <source>Reached it or beyond</source>
        <translation>达到该阶段及以上</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>New friends</source>
        <translation>新加好友</translation>
    </message>
    <message>
        <source>First orders</source>
        <translation>首单</translation>
    </message>
    <message>
        <source>Second orders</source>
        <translation>第二单</translation>
    </message>
    <message>
        <source>Fifth orders</source>
        <translation>第五单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Friends referred</source>
        <translation>介绍好友数</translation>
    </message>
    <message>
        <source>Of whom bought</source>
        <translation>其中下单</translation>
    </message>
    <message>
        <source>Revenue from them</source>
        <translation>他们带来的销售额</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Last order</source>
        <translation>最近下单</translation>
    </message>
    <message>
        <source>R F M</source>
        <translation>R F M</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Pieces sold</source>
        <translation>售出件数</translation>
    </message>
    <message>
        <source>Share of the category</source>
        <translation>占该分类比例</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Month +{n}</source>
        <translation>第 {n} 个月</translation>
    </message>
    <message>
        <source>Champions</source>
        <translation>核心铁粉</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>忠实客户</translation>
    </message>
    <message>
        <source>New buyers</source>
        <translation>新客</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要关照</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>已沉睡</translation>
    </message>
    <message>
        <source>Bought in the last 30 days and 5+ times</source>
        <translation>近 30 天下过单，累计 5 单以上</translation>
    </message>
    <message>
        <source>Bought within 90 days and more than once</source>
        <translation>90 天内下过单，且不止一单</translation>
    </message>
    <message>
        <source>First order in the last 30 days</source>
        <translation>近 30 天下了第一单</translation>
    </message>
    <message>
        <source>One order, 31–90 days ago</source>
        <translation>只有一单，在 31–90 天前</translation>
    </message>
    <message>
        <source>Bought often or much, but not for 90 days</source>
        <translation>买得多或花得多，但 90 天没再下单</translation>
    </message>
    <message>
        <source>One small order, over 90 days ago</source>
        <translation>90 天前下过一笔小单</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Export report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write {file}: {error}</source>
        <translation>无法写入 {file}：{error}</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Show the numbers as a table</source>
        <translation>以表格查看数字</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Excel (.xlsx)…</source>
        <translation>Excel (.xlsx)…</translation>
    </message>
    <message>
        <source>CSV (.csv)…</source>
        <translation>CSV (.csv)…</translation>
    </message>
</context>
<context>
    <name>ReportsExport</name>
    <message>
        <source>{path}: {value}</source>
        <translation>{path}：{value}</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <extracomment>(days, label) presets; 0 means &quot;custom&quot;. A tab&apos;s figures are on screen (tests and the bench wait for it): &quot;posts&quot;, &quot;customers&quot; (RFM, funnel, repurchase, referrals) and &quot;customers-trends&quot; (movement, cohorts). Open this customer on the Customers page (from a segment&apos;s list).</extracomment>
        <translation>报表</translation>
    </message>
    <message>
        <source>Is selling in Moments working? What sells, when, and to whom.</source>
        <translation>朋友圈卖货效果如何？什么好卖、什么时候发、卖给了谁。</translation>
    </message>
    <message>
        <source>Weekly summary…</source>
        <translation>周报…</translation>
    </message>
    <message>
        <source>The last 7 days as HTML or PDF, to send to a partner</source>
        <translation>最近 7 天的周报（HTML 或 PDF），可发给合伙人</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Every table of this tab: Excel (a sheet each) or CSV (a file each), Ctrl+E</source>
        <translation>导出本页所有表格：Excel（每张表一个工作表）或 CSV（每张表一个文件），Ctrl+E</translation>
    </message>
    <message>
        <source>Last %n days</source>
        <translation>最近 %n 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>全部微信号</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Post performance</source>
        <translation>朋友圈效果</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Calculating…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Report not calculated</source>
        <translation>报表未能计算</translation>
    </message>
    <message>
        <source>Reading the database failed: {error}</source>
        <translation>读取数据库失败：{error}</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
    <message>
        <source>Save the weekly summary</source>
        <translation>保存周报</translation>
    </message>
    <message>
        <source>Web page (*.html);;PDF (*.pdf)</source>
        <translation>网页 (*.html);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Summary not saved</source>
        <translation>周报未保存</translation>
    </message>
    <message>
        <source>Could not write {file}: {error}</source>
        <translation>无法写入 {file}：{error}</translation>
    </message>
</context>
<context>
    <name>ReportsPeriod</name>
    <message>
        <source>the range ends ({end}) before it starts ({start})</source>
        <extracomment>Orders that count as sales: cancelled and refunded orders earned nothing.</extracomment>
        <translation>结束日期（{end}）早于开始日期（{start}）</translation>
    </message>
</context>
<context>
    <name>RuleMessages</name>
    <message>
        <source>{count} posts on {day}; this account allows {limit} a day.</source>
        <extracomment>code → (message, advice)</extracomment>
        <translation>{day} 发了 {count} 条，本号每天最多 {limit} 条。</translation>
    </message>
    <message>
        <source>Move one to another day or skip it: friends mute accounts that flood their feed.</source>
        <translation>把其中一条挪到别的日子或跳过：刷屏容易被好友屏蔽。</translation>
    </message>
    <message>
        <source>Only {gap_minutes} minutes between the post at {first_time} ({first_hook}) and the one at {second_time} ({second_hook}); keep at least {limit_minutes}.</source>
        <translation>{first_time}「{first_hook}」和 {second_time}「{second_hook}」只隔了 {gap_minutes} 分钟，至少要隔 {limit_minutes} 分钟。</translation>
    </message>
    <message>
        <source>Drag one of them further away.</source>
        <translation>把其中一条往后或往前挪一挪。</translation>
    </message>
    <message>
        <source>{time} is inside the quiet hours {start}–{end}.</source>
        <translation>{time} 在免打扰时段 {start}–{end} 内。</translation>
    </message>
    <message>
        <source>Friends are asleep: pick a time outside the quiet hours.</source>
        <translation>好友都睡了，换个不在免打扰时段的时间。</translation>
    </message>
    <message>
        <source>{count} sales posts in the week of {week_start}; this account allows {limit}.</source>
        <translation>{week_start} 这一周有 {count} 条卖货朋友圈，本号每周最多 {limit} 条。</translation>
    </message>
    <message>
        <source>Turn one into a lifestyle post or move it to the next week.</source>
        <translation>把其中一条改成生活分享，或挪到下一周。</translation>
    </message>
    <message>
        <source>Sales posts are {share_pct}% of the last {window_days} days ({sales} of {total}); the target is {target_pct}%.</source>
        <translation>近 {window_days} 天卖货朋友圈占 {share_pct}%（{total} 条里 {sales} 条），目标是 {target_pct}%。</translation>
    </message>
    <message>
        <source>Add a lifestyle post (outfit, daily life, buyer feedback) or move a sales post.</source>
        <translation>加一条生活分享（穿搭、日常、买家反馈），或挪走一条卖货朋友圈。</translation>
    </message>
    <message>
        <source>The same product again after {days} days; wait at least {limit_days}.</source>
        <translation>同一件商品 {days} 天后又发了，至少间隔 {limit_days} 天。</translation>
    </message>
    <message>
        <source>Show another product, or post this one later.</source>
        <translation>换一件商品，或晚些再发这件。</translation>
    </message>
    <message>
        <source>{count} pictures; a Moments post holds at most {limit}.</source>
        <translation>有 {count} 张图片，一条朋友圈最多 {limit} 张。</translation>
    </message>
    <message>
        <source>Remove pictures until {limit} are left (or make a 九宫格 of one).</source>
        <translation>删掉多余的图片，只留 {limit} 张（也可以用九宫格）。</translation>
    </message>
    <message>
        <source>The text runs to about {lines} lines; WeChat folds it behind 全文 after {fold_lines}.</source>
        <translation>文案约 {lines} 行，超过 {fold_lines} 行会被折叠成“全文”。</translation>
    </message>
    <message>
        <source>Put the hook in the first line and shorten the rest.</source>
        <translation>把最吸引人的一句放在第一行，其余精简一些。</translation>
    </message>
    <message>
        <source>{count} picture file(s) are missing from disk: {files}.</source>
        <translation>有 {count} 张图片文件在电脑上找不到了：{files}。</translation>
    </message>
    <message>
        <source>Add the pictures again or remove them from the post.</source>
        <translation>重新添加这些图片，或把它们从这条朋友圈里删掉。</translation>
    </message>
    <message>
        <source>“{phrase}”: {reason_text}.</source>
        <translation>“{phrase}”：{reason_text}。</translation>
    </message>
    <message>
        <source>WeChat may fold or restrict such posts: rewrite that part.</source>
        <translation>微信可能折叠或限制这类朋友圈，请改写这部分。</translation>
    </message>
    <message>
        <source>Ask for a comment or a message instead of likes.</source>
        <translation>改成邀请评论或私聊，不要求点赞。</translation>
    </message>
    <message>
        <source>{similarity_pct}% alike a caption posted {days} day(s) before ({other_hook}); WeChat folds repeated content.</source>
        <translation>和 {days} 天前的文案「{other_hook}」有 {similarity_pct}% 相同，微信会折叠重复内容。</translation>
    </message>
    <message>
        <source>Rewrite the caption or pick another template.</source>
        <translation>换个说法，或换一个模板。</translation>
    </message>
    <message>
        <source>No WeChat account chosen.</source>
        <translation>还没选微信号。</translation>
    </message>
    <message>
        <source>Pick the account(s) this post goes out on.</source>
        <translation>选择这条朋友圈要发在哪个（些）微信号上。</translation>
    </message>
    <message>
        <source>No time set.</source>
        <translation>还没设置发布时间。</translation>
    </message>
    <message>
        <source>Give the post a date and time, or drop it on a slot in the planner.</source>
        <translation>给它定个日期和时间，或在规划里拖到某个时段。</translation>
    </message>
    <message>
        <source>The post has neither text nor pictures.</source>
        <translation>这条朋友圈既没有文字也没有图片。</translation>
    </message>
    <message>
        <source>Write a few lines or add pictures.</source>
        <translation>写几句话或加几张图片。</translation>
    </message>
    <message>
        <source>Scheduled anyway by the seller: {override}</source>
        <translation>已由卖家确认照发，理由：{override}</translation>
    </message>
</context>
<context>
    <name>Rules</name>
    <message>
        <source>At most {n} posts a day</source>
        <translation>每天最多 {n} 条</translation>
    </message>
    <message>
        <source>More posts than that read as 刷屏, and friends start to mute or fold you.</source>
        <translation>再多就像刷屏，好友会开始屏蔽或折叠你。</translation>
    </message>
    <message>
        <source>Counts every post of one WeChat account in one day, selling or not. The planner warns before you plan one more.</source>
        <translation>统计同一个微信号一天内的全部朋友圈，卖货和生活都算。超出之前排期会提醒你。</translation>
    </message>
    <message>
        <source>At least {n} hours between posts</source>
        <translation>两条之间至少隔 {n} 小时</translation>
    </message>
    <message>
        <source>Spacing posts out keeps you from filling a friend&apos;s feed in one scroll.</source>
        <translation>拉开间隔，好友刷一屏就不会全是你。</translation>
    </message>
    <message>
        <source>Measured between the planned times of two posts on the same account.</source>
        <translation>按同一个微信号上两条朋友圈的计划时间计算。</translation>
    </message>
    <message>
        <source>Quiet hours {start}–{end}</source>
        <translation>免打扰时段 {start}–{end}</translation>
    </message>
    <message>
        <source>No posts or reminders at night, when a post wakes people or sinks unseen.</source>
        <translation>夜里不发也不提醒：这时发既打扰人，又容易沉底没人看。</translation>
    </message>
    <message>
        <source>Posts planned inside the quiet hours are flagged; reminders wait until morning.</source>
        <translation>计划在免打扰时段的朋友圈会被标出；提醒等到早上再弹。</translation>
    </message>
    <message>
        <source>At most {n} sales posts a week</source>
        <translation>每周最多 {n} 条卖货</translation>
    </message>
    <message>
        <source>New arrivals, promotions and activities are capped so friends keep looking.</source>
        <translation>上新、促销和活动都有上限，好友才愿意一直看下去。</translation>
    </message>
    <message>
        <source>Sales posts are new arrivals, promotions and activities; life posts and buyer feedback do not count.</source>
        <translation>卖货朋友圈指上新、促销和活动；生活分享和买家反馈不算在内。</translation>
    </message>
    <message>
        <source>{sales}% selling, {life}% life</source>
        <translation>{sales}% 卖货，{life}% 生活</translation>
    </message>
    <message>
        <source>About four posts in ten sell; the rest share tips, daily life and buyer photos.</source>
        <translation>大约十条里四条卖货，其余分享穿搭技巧、日常生活和买家秀。</translation>
    </message>
    <message>
        <source>The 40:60 mix from experienced Moments sellers, checked over the last two weeks of posts.</source>
        <translation>这是朋友圈卖货老手的 40:60 经验比例，按最近两周的朋友圈计算。</translation>
    </message>
    <message>
        <source>The same product again after {n} days</source>
        <translation>同一商品隔 {n} 天再发</translation>
    </message>
    <message>
        <source>Showing one product again within a week feels pushy, so the planner waits.</source>
        <translation>一周内反复发同一件商品会显得太急，排期会帮你等一等。</translation>
    </message>
    <message>
        <source>Counted from the last post that showed the product on the same account.</source>
        <translation>从同一个微信号上次发这件商品的朋友圈算起。</translation>
    </message>
    <message>
        <source>At most {n} pictures per post</source>
        <translation>每条最多 {n} 张图</translation>
    </message>
    <message>
        <source>WeChat shows up to nine pictures (九宫格); put the best one first.</source>
        <translation>微信每条最多显示九张图（九宫格），最好的一张放第一张。</translation>
    </message>
    <message>
        <source>A tenth picture would be dropped by WeChat, so the app never exports more.</source>
        <translation>第十张图微信不会显示，所以软件不会导出更多。</translation>
    </message>
    <message>
        <source>Posts per day at most</source>
        <translation>每天最多发圈</translation>
    </message>
    <message>
        <source>More than a few posts a day floods friends&apos; feeds (刷屏) and gets you muted.</source>
        <translation>一天发太多会刷屏，容易被好友屏蔽。</translation>
    </message>
    <message>
        <source>Minutes between posts at least</source>
        <translation>两条之间至少间隔（分钟）</translation>
    </message>
    <message>
        <source>Two posts close together look like spam; spacing them keeps each one seen.</source>
        <translation>两条挨得太近像刷屏；隔开发每条都能被看到。</translation>
    </message>
    <message>
        <source>Quiet hours from</source>
        <translation>免打扰开始</translation>
    </message>
    <message>
        <source>Nothing goes out while friends sleep: a late post annoys more than it sells.</source>
        <translation>好友睡觉时不发圈：深夜发圈招人烦，也卖不动。</translation>
    </message>
    <message>
        <source>Quiet hours until</source>
        <translation>免打扰结束</translation>
    </message>
    <message>
        <source>The first time in the morning a post may go out again.</source>
        <translation>早上最早可以再发圈的时间。</translation>
    </message>
    <message>
        <source>Sales posts per week at most</source>
        <translation>每周卖货圈最多</translation>
    </message>
    <message>
        <source>Caps new arrivals, promotions and activities so the week is not all selling.</source>
        <translation>限制上新、促销和活动的数量，别让一周全是卖货。</translation>
    </message>
    <message>
        <source>Sales share target (%)</source>
        <translation>卖货圈占比目标（%）</translation>
    </message>
    <message>
        <source>About 40% product posts and 60% life, tips and feedback keeps friends following.</source>
        <translation>约 40% 商品、60% 生活/干货/买家反馈，好友才愿意一直看。</translation>
    </message>
    <message>
        <source>Mix measured over (days)</source>
        <translation>配比统计周期（天）</translation>
    </message>
    <message>
        <source>The rolling window in which the sales share is counted.</source>
        <translation>计算卖货占比的滚动天数。</translation>
    </message>
    <message>
        <source>Same product again after (days)</source>
        <translation>同一商品再发间隔（天）</translation>
    </message>
    <message>
        <source>Showing the same product again too soon looks pushy; wait this many days.</source>
        <translation>同一商品发得太勤显得催单；至少隔这么多天。</translation>
    </message>
    <message>
        <source>Characters before 全文</source>
        <translation>折叠前字数（全文）</translation>
    </message>
    <message>
        <source>WeChat folds long text behind 全文; warn when the text gets longer than this.</source>
        <translation>微信会把长文案折叠成“全文”；超过这个字数时提醒。</translation>
    </message>
    <message>
        <source>Anti-spam rules</source>
        <extracomment>Settings whose rules refuse scheduling (the others only warn).</extracomment>
        <translation>防刷屏规则</translation>
    </message>
    <message>
        <source>Limits for this account. Breaking a limit marked ⛔ refuses scheduling; the others warn. Hover a rule to read why it exists.</source>
        <translation>这个微信号的限制。违反标有 ⛔ 的限制将不能排期，其余只提醒。鼠标悬停可查看每条规则的理由。</translation>
    </message>
</context>
<context>
    <name>ScreenshotReader</name>
    <message>
        <source>Screenshots of the post</source>
        <extracomment>Height of a strip in the confirmation list, in pixels. the strip of the screenshot where each name was read, by region</extracomment>
        <translation>这条朋友圈的截图</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Reading %n screenshot(s) on this computer…</source>
        <translation>正在本机识别 %n 张截图…</translation>
    </message>
</context>
<context>
    <name>Screenshots</name>
    <message>
        <source>the picture is too small to be a screenshot ({width}×{height})</source>
        <translation>图片太小，不像截图（{width}×{height}）</translation>
    </message>
    <message>
        <source>{count} screenshots at once is too many; choose at most {limit}.</source>
        <translation>一次 {count} 张截图太多了，最多选 {limit} 张。</translation>
    </message>
</context>
<context>
    <name>SegmentDialog</name>
    <message>
        <source>Customers: %n</source>
        <translation>共 %n 位客户</translation>
    </message>
    <message>
        <source>double-click a customer to open her</source>
        <translation>双击客户可打开她的资料</translation>
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
    <name>StageLadder</name>
    <message>
        <source>Each stage threshold is a whole number from 1 to 999.</source>
        <extracomment>app_setting key of the thresholds (JSON) SQLite&apos;s bound-parameter limit, with room for the thresholds paid orders that make a customer a fan likes, comments and 私聊 that make a buying customer a fan paid orders that make an iron fan friends she referred that, with ``iron_referral_orders`` paid orders, make an iron fan</extracomment>
        <translation>每个阶段门槛都要是 1 到 999 之间的整数。</translation>
    </message>
    <message>
        <source>An iron fan needs more orders ({iron}) than a fan ({fan}).</source>
        <translation>铁粉需要的订单数（{iron}）要多于粉丝（{fan}）。</translation>
    </message>
</context>
<context>
    <name>StageSettings</name>
    <message>
        <source>Customer stages</source>
        <extracomment>how many customers moved to another stage</extracomment>
        <translation>客户阶段</translation>
    </message>
    <message>
        <source>Prospect → customer (first paid order) → fan → iron fan, from what is recorded. A stage you set by hand stays until you clear it.</source>
        <translation>潜在客户 → 客户（第一笔付款订单）→ 粉丝 → 铁粉，按记录自动升级。你手动设定的阶段会一直保留，直到你清除它。</translation>
    </message>
    <message>
        <source> paid orders</source>
        <translation> 笔付款订单</translation>
    </message>
    <message>
        <source> likes, comments or chats</source>
        <translation> 次点赞、评论或私聊</translation>
    </message>
    <message>
        <source> friends referred</source>
        <translation> 位介绍来的好友</translation>
    </message>
    <message>
        <source>Fan: at least</source>
        <translation>粉丝：至少</translation>
    </message>
    <message>
        <source>or, having bought, at least</source>
        <translation>或买过之后至少</translation>
    </message>
    <message>
        <source>Iron fan: at least</source>
        <translation>铁粉：至少</translation>
    </message>
    <message>
        <source>and</source>
        <translation>并且</translation>
    </message>
    <message>
        <source>or at least</source>
        <translation>或至少</translation>
    </message>
    <message>
        <source>Apply to all customers</source>
        <translation>应用到全部客户</translation>
    </message>
    <message>
        <source>Saved: %n customer(s) moved to another stage.</source>
        <translation>已保存：%n 位客户换了阶段。</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <source>Data folder not found</source>
        <extracomment>What the event loop returns after a restore replaced the data: app.py then builds a fresh main window on it. Here, not with the restore&apos;s page, so a start need not import that page. Process exit codes, documented in the README. How sellers know the databases people most often try (the URL&apos;s scheme otherwise).</extracomment>
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
        <source>{path} is not a database address Moments Desk can use. It works with a SQLite file (the default, or sqlite:///path/to/shop.sqlite3) and with PostgreSQL (postgresql://user:password@host/database).</source>
        <translation>{path} 不是朋友圈卖货台可以使用的数据库地址。支持 SQLite 数据库文件（默认，或 sqlite:///路径/shop.sqlite3）和 PostgreSQL（postgresql://用户名:密码@主机/数据库）。</translation>
    </message>
    <message>
        <source>Database not supported</source>
        <translation>不支持的数据库</translation>
    </message>
    <message>
        <source>Moments Desk cannot use {kind} databases ({path}). It works with a SQLite file (the default, or sqlite:///path/to/shop.sqlite3) and with PostgreSQL (postgresql://user:password@host/database).</source>
        <translation>朋友圈卖货台不能使用 {kind} 数据库（{path}）。支持 SQLite 数据库文件（默认，或 sqlite:///路径/shop.sqlite3）和 PostgreSQL（postgresql://用户名:密码@主机/数据库）。</translation>
    </message>
</context>
<context>
    <name>Tabular</name>
    <message>
        <source>{name}: this is not a text spreadsheet (binary data)</source>
        <extracomment>the row number a seller sees in Excel for rows[i] (the header is row 1) Every cell printable, without whitespace at either end (checked once on the file).</extracomment>
        <translation>{name}：这不是文本表格（是二进制数据）</translation>
    </message>
    <message>
        <source>{name}: the text encoding is neither UTF-8 nor GBK; save it as UTF-8</source>
        <translation>{name}：文本编码既不是 UTF-8 也不是 GBK，请另存为 UTF-8</translation>
    </message>
    <message>
        <source>{name}: the file is empty</source>
        <translation>{name}：文件是空的</translation>
    </message>
    <message>
        <source>{name}: not a readable CSV file ({error})</source>
        <translation>{name}：无法读取的 CSV 文件（{error}）</translation>
    </message>
    <message>
        <source>{name}: not a readable Excel file ({error})</source>
        <translation>{name}：无法读取的 Excel 文件（{error}）</translation>
    </message>
    <message>
        <source>{name}: the file does not exist</source>
        <translation>{name}：文件不存在</translation>
    </message>
    <message>
        <source>{name}: the file is larger than {mb} MB</source>
        <translation>{name}：文件超过 {mb} MB</translation>
    </message>
    <message>
        <source>{name}: old Excel (.xls) files: open it in Excel and save as .xlsx</source>
        <translation>{name}：这是旧版 Excel（.xls）文件，请用 Excel 打开并另存为 .xlsx</translation>
    </message>
    <message>
        <source>{name}: the file has no rows</source>
        <translation>{name}：文件里没有数据行</translation>
    </message>
    <message>
        <source>{name}: the first row has no column names</source>
        <translation>{name}：第一行没有列名</translation>
    </message>
    <message>
        <source>{name}: column {index} has no name in the first row</source>
        <translation>{name}：第 {index} 列在第一行没有列名</translation>
    </message>
    <message>
        <source>{name}: the column name {header} appears twice</source>
        <translation>{name}：列名 {header} 出现了两次</translation>
    </message>
    <message>
        <source>{name}: row {number} has a cell over {MAX_CELL} characters</source>
        <translation>{name}：第 {number} 行有单元格超过 {MAX_CELL} 个字符</translation>
    </message>
    <message>
        <source>{name}: the file has more than {limit} rows; split it into files of at most {limit} rows and import them one after the other</source>
        <translation>{name}：文件超过 {limit} 行；请拆分成每个不超过 {limit} 行的文件，逐个导入</translation>
    </message>
    <message>
        <source>{name}: the workbook unpacks to over {mb} MB; it is too big to import</source>
        <translation>{name}：该工作簿解压后超过 {mb} MB，太大，无法导入</translation>
    </message>
    <message>
        <source>{name}: {count} rows held control characters (such as NUL or ESC), the first in row {first}; they were removed</source>
        <translation>{name}：有 {count} 行含有控制字符（如 NUL、ESC），第一处在第 {first} 行；已删除这些字符</translation>
    </message>
    <message>
        <source>{name}: row {first} held control characters (such as NUL or ESC); they were removed</source>
        <translation>{name}：第 {first} 行含有控制字符（如 NUL、ESC），已删除这些字符</translation>
    </message>
</context>
<context>
    <name>TaobaoImport</name>
    <message>
        <source>{text} is not a time; expected 2026-10-03 20:15:33</source>
        <extracomment>Taobao shows times in Beijing time, whatever the seller&apos;s computer says. Checked in this order: the first phrase the status contains wins.</extracomment>
        <translation>{text} 不是时间；应为 2026-10-03 20:15:33 这样的格式</translation>
    </message>
    <message>
        <source>{text} does not exist</source>
        <translation>{text} 这个时间不存在</translation>
    </message>
    <message>
        <source>no such WeChat account</source>
        <translation>没有这个微信号</translation>
    </message>
    <message>
        <source>the file has no column {names}</source>
        <translation>文件里没有 {names} 列</translation>
    </message>
    <message>
        <source>the order number is empty</source>
        <translation>订单编号为空</translation>
    </message>
    <message>
        <source>{order_no} is not an order number</source>
        <translation>{order_no} 不是订单编号</translation>
    </message>
    <message>
        <source>row {row}: order {order_no} is also in row {first}</source>
        <translation>第 {row} 行：订单 {order_no} 与第 {first} 行重复</translation>
    </message>
    <message>
        <source>{value} is not a Taobao status</source>
        <translation>{value} 不是淘宝订单状态</translation>
    </message>
    <message>
        <source>{quantity_text} is not a quantity</source>
        <translation>{quantity_text} 不是有效的数量</translation>
    </message>
    <message>
        <source>the order names no buyer</source>
        <translation>订单里没有买家</translation>
    </message>
    <message>
        <source>the address is over 400 characters</source>
        <translation>收货地址超过了 400 个字符</translation>
    </message>
    <message>
        <source>{count} phone numbers are masked (138****8000) and were not used to match buyers</source>
        <translation>有 {count} 个手机号被打码（138****8000），没有用来匹配买家</translation>
    </message>
    <message>
        <source>the import has errors; fix them first</source>
        <translation>导入内容有错误，请先改正</translation>
    </message>
    <message>
        <source>another program added customers at the same moment; try again</source>
        <translation>另一个程序同时添加了客户，请重试</translation>
    </message>
    <message>
        <source>{code} has more than {limit} sizes and colours in this file</source>
        <translation>这个文件里 {code} 的颜色尺码超过 {limit} 种</translation>
    </message>
</context>
<context>
    <name>TemplatePlaceholders</name>
    <message>
        <source>product name (several: joined with 、)</source>
        <extracomment>Placeholder → help for the composer&apos;s template menu</extracomment>
        <translation>商品名称（多件用“、”连接）</translation>
    </message>
    <message>
        <source>price, e.g. ¥129</source>
        <translation>价格，例如 ¥129</translation>
    </message>
    <message>
        <source>selling points of the first product</source>
        <translation>第一件商品的卖点</translation>
    </message>
    <message>
        <source>product code</source>
        <translation>商品编码</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>product tags as #tag</source>
        <translation>商品标签（#标签）</translation>
    </message>
    <message>
        <source>pieces in stock</source>
        <translation>库存件数</translation>
    </message>
    <message>
        <source>the account&apos;s nickname</source>
        <translation>微信号昵称</translation>
    </message>
    <message>
        <source>weekday 一…日, for 周{weekday}</source>
        <translation>星期几（一…日），写成 周{weekday}</translation>
    </message>
    <message>
        <source>date, e.g. 11月24日</source>
        <translation>日期，例如 11月24日</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>The note is empty.</source>
        <extracomment>interaction id for likes/comments/inquiries/notes, order id for orders</extracomment>
        <translation>记录内容为空。</translation>
    </message>
    <message>
        <source>Only hand-written notes can be edited.</source>
        <translation>只有手写的跟进记录可以修改。</translation>
    </message>
</context>
<context>
    <name>Tracking</name>
    <message>
        <source>This post was deleted meanwhile.</source>
        <extracomment>likes already on record for this post (pasting the same list twice adds nothing)</extracomment>
        <translation>这条朋友圈刚刚已被删除。</translation>
    </message>
    <message>
        <source>Only a posted post has likes and comments; mark it posted first.</source>
        <translation>只有已发布的朋友圈才有点赞和评论，请先标记为已发布。</translation>
    </message>
    <message>
        <source>That WeChat account no longer exists.</source>
        <translation>那个微信号已不存在。</translation>
    </message>
    <message>
        <source>Line {line} ({name}): this customer was deleted meanwhile. Match the names again.</source>
        <translation>第 {line} 行（{name}）：这位客户刚刚已被删除，请重新匹配名字。</translation>
    </message>
</context>
<context>
    <name>TrackingPage</name>
    <message>
        <source>Tracking</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Who liked, commented and asked under each post; first-N places, orders and draws.</source>
        <translation>每条朋友圈下谁点赞、评论、私聊；前 N 名分配、订单和抽奖。</translation>
    </message>
    <message>
        <source>Search posted posts</source>
        <translation>搜索已发布的朋友圈</translation>
    </message>
    <message>
        <source>Choose a posted post on the left.</source>
        <translation>请在左侧选择一条已发布的朋友圈。</translation>
    </message>
    <message>
        <source>Quick entry</source>
        <translation>快速录入</translation>
    </message>
    <message>
        <source>First N</source>
        <translation>前 N 名</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>抽奖</translation>
    </message>
    <message>
        <source>♥ {likes}  💬 {comments}  ✉ {chats}</source>
        <translation>♥ {likes}  💬 {comments}  ✉ {chats}</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Moments Desk</source>
        <extracomment>Per-machine preferences (prefs.json ``extra``).</extracomment>
        <translation>朋友圈卖货台</translation>
    </message>
    <message>
        <source>Show Moments Desk</source>
        <translation>打开朋友圈卖货台</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Still running in the tray</source>
        <translation>仍在托盘中运行</translation>
    </message>
    <message>
        <source>Moments Desk keeps running in the system tray so it can remind you when a post is due. Click the tray icon to open it again, or choose Quit in its menu. You can turn this off in Settings → Team and reminders.</source>
        <translation>朋友圈卖货台会继续在系统托盘里运行，这样到点了还能提醒你。点托盘图标可以重新打开窗口，在它的菜单里选“退出”即可关闭。可以在“设置 → 团队与提醒”中关掉此功能。</translation>
    </message>
</context>
<context>
    <name>Users</name>
    <message>
        <source>Profile</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>leave empty to keep the current PIN</source>
        <translation>留空则不修改 PIN 码</translation>
    </message>
    <message>
        <source>Remove the PIN</source>
        <translation>取消 PIN 码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 码或密码</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 码不一致。</translation>
    </message>
    <message>
        <source>Team and reminders</source>
        <translation>团队与提醒</translation>
    </message>
    <message>
        <source>Profiles for the people using this shop. Assistants draft and schedule posts; owners manage profiles and approve. PINs are stored only as argon2 hashes.</source>
        <translation>使用这家店的成员。助理可以写文案和排期；店主管理成员并审核。PIN 码只以 argon2 哈希保存。</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <source>Add profile…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>操作记录…</translation>
    </message>
    <message>
        <source>Assistants&apos; posts need an owner&apos;s approval</source>
        <translation>助理排期的朋友圈需店主审核</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>only when due</source>
        <translation>只在到点时</translation>
    </message>
    <message>
        <source>Remind before a post</source>
        <translation>提前提醒</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed (this computer)</source>
        <translation>关闭窗口后继续在托盘运行（本机）</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>No PIN</source>
        <translation>无 PIN 码</translation>
    </message>
    <message>
        <source>{name} (you)</source>
        <translation>{name}（你）</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Remove profile</source>
        <translation>移除成员</translation>
    </message>
    <message>
        <source>Remove “{name}”? They can no longer sign in. The audit log keeps their past actions.</source>
        <translation>移除“{name}”？移除后不能再登录，操作记录会保留其以往的操作。</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助理</translation>
    </message>
    <message>
        <source>Please enter a name.</source>
        <translation>请输入名字。</translation>
    </message>
    <message>
        <source>The name is too long.</source>
        <translation>名字太长了。</translation>
    </message>
    <message>
        <source>There is already a profile called “{name}”.</source>
        <translation>已经有叫“{name}”的成员了。</translation>
    </message>
    <message>
        <source>A PIN needs at least {n} characters.</source>
        <translation>PIN 码至少要 {n} 位。</translation>
    </message>
    <message>
        <source>An assistant needs a PIN, so nobody else can sign in as “{name}”.</source>
        <translation>助理必须设置 PIN 码，以免别人冒用“{name}”登录。</translation>
    </message>
    <message>
        <source>“{name}” is the only owner; the shop needs at least one.</source>
        <translation>“{name}”是唯一的店主，店里至少要有一位店主。</translation>
    </message>
    <message>
        <source>You cannot remove the profile you are signed in with.</source>
        <translation>不能移除当前登录的成员。</translation>
    </message>
    <message>
        <source>This profile no longer exists.</source>
        <translation>这个成员已不存在。</translation>
    </message>
</context>
<context>
    <name>VariantGrid</name>
    <message>
        <source>Code…</source>
        <translation>编码…</translation>
    </message>
    <message>
        <source>The selected size's own code (SKU), e.g. KS-021-BK-M</source>
        <translation>所选尺码自己的编码（SKU），如 KS-021-BK-M</translation>
    </message>
    <message>
        <source>Variant code</source>
        <translation>规格编码</translation>
    </message>
    <message>
        <source>Code of {variant}:</source>
        <translation>{variant} 的编码：</translation>
    </message>
    <message>
        <source>Code: {code}</source>
        <translation>编码：{code}</translation>
    </message>
    <message>
        <source>Stock</source>
        <extracomment>The sizes a clothing seller adds most, offered as the placeholder of the size field.</extracomment>
        <translation>库存</translation>
    </message>
    <message>
        <source>Own price; empty: the product&apos;s price applies</source>
        <translation>单独价格；留空则用商品售价</translation>
    </message>
    <message>
        <source>Colours × sizes (each cell: stock, optional own price)</source>
        <extracomment>variants with further attributes the grid cannot show; saved as they were colour → the product picture shown for it; the product&apos;s pictures, in order</extracomment>
        <translation>颜色 × 尺码（每格：库存，可填单独价格）</translation>
    </message>
    <message>
        <source>Colour, e.g. 燕麦色</source>
        <translation>颜色，如 燕麦色</translation>
    </message>
    <message>
        <source>Add colour</source>
        <translation>添加颜色</translation>
    </message>
    <message>
        <source>Add sizes</source>
        <translation>添加尺码</translation>
    </message>
    <message>
        <source>stock </source>
        <translation>库存 </translation>
    </message>
    <message>
        <source>Fill row</source>
        <translation>整行填充</translation>
    </message>
    <message>
        <source>Give every size of the selected colour this stock</source>
        <translation>把选中颜色的所有尺码设为这个库存</translation>
    </message>
    <message>
        <source>Remove colour</source>
        <translation>删除颜色</translation>
    </message>
    <message>
        <source>Remove size</source>
        <translation>删除尺码</translation>
    </message>
    <message>
        <source>Picture of</source>
        <translation>图片：</translation>
    </message>
    <message>
        <source>Which of the product&apos;s pictures shows this colour</source>
        <translation>用商品的第几张图片展示这个颜色</translation>
    </message>
    <message>
        <source>{count} variants, {stock} in stock</source>
        <extracomment>The single stock the product had, given to the first cell the grid creates.</extracomment>
        <translation>{count} 个规格，共 {stock} 件库存</translation>
    </message>
</context>
<context>
    <name>Variants</name>
    <message>
        <source>{count} variants is more than {limit} for one product.</source>
        <extracomment>A colour × size grid larger than this is a mistake in a file or a paste, not a garment. The stored variant this cell edits; None for a new one. the picture shown for this colour (one of the product&apos;s pictures), optional</extracomment>
        <translation>{count} 个规格超过了一个商品最多 {limit} 个。</translation>
    </message>
    <message>
        <source>Variant {label}: a colour or size is longer than {limit}.</source>
        <translation>规格 {label}：颜色或尺码超过 {limit} 个字。</translation>
    </message>
    <message>
        <source>Variant {label}: the stock must be 0 to {limit}, not {stock}.</source>
        <translation>规格 {label}：库存应在 0 到 {limit} 之间，而不是 {stock}。</translation>
    </message>
    <message>
        <source>Variant {label}: the price cannot be negative.</source>
        <translation>规格 {label}：价格不能为负数。</translation>
    </message>
    <message>
        <source>Variant {label} appears twice.</source>
        <translation>规格 {label} 重复了。</translation>
    </message>
    <message>
        <source>A colour&apos;s picture was removed meanwhile.</source>
        <translation>某个颜色的图片刚刚被删除了。</translation>
    </message>
    <message>
        <source>{labels} cannot be removed: orders or first-N places use it. Set its stock to 0 instead.</source>
        <translation>{labels} 不能删除：已有订单或前 N 名名额用到它。可以把库存改为 0。</translation>
    </message>
</context>
<context>
    <name>WeeklySummary</name>
    <message>
        <source>Weekly summary · {shop}</source>
        <translation>朋友圈周报 · {shop}</translation>
    </message>
    <message>
        <source>Weekly summary</source>
        <translation>朋友圈周报</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>The week before</source>
        <translation>前一周</translation>
    </message>
    <message>
        <source>New friend-customers</source>
        <translation>新增好友客户</translation>
    </message>
    <message>
        <source>Bought twice or more</source>
        <translation>买过两次及以上</translation>
    </message>
    <message>
        <source>Moments posts</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>{posts} posts, {share}% selling (target 40%)</source>
        <translation>共 {posts} 条，卖货内容占 {share}%（目标 40%）</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>Interactions</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Best times this week: {slots}</source>
        <translation>本周最好的发布时段：{slots}</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>WeChat account {n}</source>
        <translation>微信号 {n}</translation>
    </message>
    <message>
        <source>Name in this app *</source>
        <translation>在本软件中的名称 *</translation>
    </message>
    <message>
        <source>e.g. 主号</source>
        <translation>例如：主号</translation>
    </message>
    <message>
        <source>WeChat nickname</source>
        <translation>微信昵称</translation>
    </message>
    <message>
        <source>the name friends see above your posts</source>
        <translation>好友在朋友圈里看到的名字</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更换…</translation>
    </message>
    <message>
        <source>Avatar…</source>
        <translation>选择头像…</translation>
    </message>
    <message>
        <source>The profile picture of this WeChat account, shown in the Moments preview. Save it from WeChat or take a screenshot.</source>
        <translation>这个微信号的头像，会显示在朋友圈预览里。可以从微信保存，或者截图。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>No
avatar</source>
        <translation>暂无
头像</translation>
    </message>
    <message>
        <source>Choose the avatar picture</source>
        <translation>选择头像图片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif)</translation>
    </message>
    <message>
        <source>Products: {created} added, {updated} updated, {images} pictures.</source>
        <extracomment>Button text, translated when called (the language may change while the wizard is open). What the file should hold, one sentence. Opens the importer&apos;s own dialog (which previews and writes in one transaction) and returns a one-line summary of what was imported, or None if the seller cancelled.</extracomment>
        <translation>商品：新增 {created} 件，更新 {updated} 件，图片 {images} 张。</translation>
    </message>
    <message>
        <source>Import products…</source>
        <translation>导入商品…</translation>
    </message>
    <message>
        <source>A CSV or Excel file with code, name and price per row, e.g. exported from Taobao (宝贝列表) or your own spreadsheet. You see every row before anything is saved.</source>
        <translation>CSV 或 Excel 文件，每行一个商品，包含货号、名称和价格，比如从淘宝导出的宝贝列表或你自己的表格。保存之前每一行都会先给你看。</translation>
    </message>
    <message>
        <source>Customers: {created} added, {updated} updated, {addresses} addresses.</source>
        <translation>客户：新增 {created} 位，更新 {updated} 位，地址 {addresses} 条。</translation>
    </message>
    <message>
        <source>Taobao orders: {orders} imported, {created} new customers.</source>
        <translation>淘宝订单：导入 {orders} 笔，新客户 {created} 位。</translation>
    </message>
    <message>
        <source>Import customers…</source>
        <translation>导入客户…</translation>
    </message>
    <message>
        <source>A CSV or Excel file with one friend per row: WeChat ID, nickname or remark name, phone, birthday (农历 works), tags. You see every row before anything is saved.</source>
        <translation>CSV 或 Excel 文件，每行一位好友：微信号、昵称或备注名、手机、生日（可填农历）、标签。保存前每一行都会先给你过目。</translation>
    </message>
    <message>
        <source>Import Taobao orders…</source>
        <translation>导入淘宝订单…</translation>
    </message>
    <message>
        <source>The order report from Taobao (已卖出的宝贝 → 批量导出). Buyers become customers with their orders; importing the same file twice adds nothing twice.</source>
        <translation>淘宝导出的订单报表（已卖出的宝贝 → 批量导出）。买家连同订单一起成为客户；同一个文件导入两次也不会重复。</translation>
    </message>
    <message>
        <source>Welcome to Moments Desk</source>
        <translation>欢迎使用朋友圈卖货台</translation>
    </message>
    <message>
        <source>Two minutes from an empty shop to a planned first week.</source>
        <translation>两分钟，从空店铺到规划好第一周。</translation>
    </message>
    <message>
        <source>Moments Desk plans your Moments posts, prepares text and pictures, and keeps track of likes, customers and orders. It never controls WeChat: you always post from your phone yourself.</source>
        <translation>朋友圈卖货台帮你规划朋友圈、准备文案和图片，并记录点赞、客户和订单。它从不操控微信：朋友圈永远由你在手机上亲手发布。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The wizard switches at once, and the app starts in this language.</source>
        <translation>向导立即切换，软件也会用这种语言打开。</translation>
    </message>
    <message>
        <source>Saved: the app uses this language the next time it starts.</source>
        <translation>已保存：下次启动时软件使用这种语言。</translation>
    </message>
    <message>
        <source>How do you want to start?</source>
        <translation>你想怎么开始？</translation>
    </message>
    <message>
        <source>Set up my own shop</source>
        <translation>设置我自己的小店</translation>
    </message>
    <message>
        <source>Name your shop, add your WeChat accounts and choose a posting rhythm. Nothing is saved until you press “Create my shop”.</source>
        <translation>给小店起名、添加微信号、选择发圈节奏。在你点“创建我的小店”之前，什么都不会保存。</translation>
    </message>
    <message>
        <source>Explore a demo shop first</source>
        <translation>先看看示例小店</translation>
    </message>
    <message>
        <source>Fills this data folder with a small clothing shop (products, friends, a month of posts and orders) to look around safely.</source>
        <translation>在这个数据文件夹里放一个小服装店（商品、好友、一个月的朋友圈和订单），放心随便看。</translation>
    </message>
    <message>
        <source>Only possible in an empty shop: this one already has data.</source>
        <translation>只能用于空店铺：这里已经有数据了。</translation>
    </message>
    <message>
        <source>Your shop and WeChat accounts</source>
        <translation>你的小店和微信号</translation>
    </message>
    <message>
        <source>Every limit is kept per WeChat account, and each shows Moments to at most 5,000 friends.</source>
        <translation>每条限制都按微信号分别计算；每个微信号的朋友圈最多给 5,000 位好友看到。</translation>
    </message>
    <message>
        <source>Shop name *</source>
        <translation>店名 *</translation>
    </message>
    <message>
        <source>e.g. 小棉袄的衣橱</source>
        <translation>例如：小棉袄的衣橱</translation>
    </message>
    <message>
        <source>Also the watermark on pictures you export for Moments (change it in Settings).</source>
        <translation>也会用作导出朋友圈图片的水印（可在设置里修改）。</translation>
    </message>
    <message>
        <source>Already set up: {accounts}</source>
        <translation>已设置：{accounts}</translation>
    </message>
    <message>
        <source>+ Add another account</source>
        <translation>+ 再加一个微信号</translation>
    </message>
    <message>
        <source>Nickname and avatar make the Moments preview look like your phone. You can change them later in Settings.</source>
        <translation>填好昵称和头像，朋友圈预览就和手机上一样。以后可以在设置里修改。</translation>
    </message>
    <message>
        <source>Main account</source>
        <translation>主号</translation>
    </message>
    <message>
        <source>Two accounts have the same WeChat ID. Each account needs its own.</source>
        <translation>有两个账号的微信号相同，每个账号要用各自的微信号。</translation>
    </message>
    <message>
        <source>Your posting rhythm</source>
        <translation>你的发圈节奏</translation>
    </message>
    <message>
        <source>Friends learn when to expect you. The Planner turns this rhythm into drafts each week; change it there any time.</source>
        <translation>好友会记住你什么时候上新。排期页每周按这个节奏生成草稿，随时可以在那里修改。</translation>
    </message>
    <message>
        <source>Tue &amp; Thu 20:00 new arrivals + daily 12:00 life post</source>
        <translation>每周二、四 20:00 上新 + 每天 12:00 生活分享</translation>
    </message>
    <message>
        <source>New arrivals every Tuesday and Thursday evening, one product each, and a daily lunchtime post about life or styling drafted from the content library.</source>
        <translation>每周二、周四晚上上新，每次一件商品；每天中午一条生活或穿搭分享，草稿来自素材库。</translation>
    </message>
    <message>
        <source>One recommended product every evening, its copy changing from day to day.</source>
        <translation>每晚推荐一件商品，文案每天轮换。</translation>
    </message>
    <message>
        <source>Limits marked ⛔ and wording WeChat forbids (集赞, 转发抽奖, 助力, 淘口令) stop scheduling; the rest are warnings. Change the limits per account in Settings.</source>
        <translation>标有 ⛔ 的限制和微信禁止的用语（集赞、转发抽奖、助力、淘口令）会拦下排期，其余只提醒。可以在设置里按微信号修改限制。</translation>
    </message>
    <message>
        <source>Daily 21:00 #DailyPick# (#每日一荐#)</source>
        <translation>每天 21:00 #每日一荐#</translation>
    </message>
    <message>
        <source>My own days and time</source>
        <translation>自定义日期和时间</translation>
    </message>
    <message>
        <source>Choose the days for new arrivals and an optional daily post.</source>
        <translation>自己选上新的日子，还可以加一条每日分享。</translation>
    </message>
    <message>
        <source>No rhythm yet</source>
        <translation>暂不设置节奏</translation>
    </message>
    <message>
        <source>Plan each post by hand in the Planner for now.</source>
        <translation>先在排期页里手动安排每一条。</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>New arrivals on</source>
        <translation>上新日</translation>
    </message>
    <message>
        <source>at</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Daily life post at</source>
        <translation>每日生活分享</translation>
    </message>
    <message>
        <source>Applied to every account that has no rhythm yet.</source>
        <translation>用于所有还没有节奏的微信号。</translation>
    </message>
    <message>
        <source>Applied to each of your accounts.</source>
        <translation>用于你的每个微信号。</translation>
    </message>
    <message>
        <source>Anti-spam limits (per account)</source>
        <translation>防刷屏限制（每个微信号）</translation>
    </message>
    <message>
        <source>Create my shop</source>
        <translation>创建我的小店</translation>
    </message>
    <message>
        <source>Bring in what you already have</source>
        <translation>导入你已有的资料</translation>
    </message>
    <message>
        <source>Optional: skip this and add products and friends later.</source>
        <translation>可选：可以跳过，以后再添加商品和好友。</translation>
    </message>
    <message>
        <source>Your shop is created: %n new account(s), {slots} weekly posting slots.</source>
        <translation>小店已创建：新增 %n 个微信号，每周 {slots} 个发圈时段。</translation>
    </message>
    <message>
        <source>Each import shows every row first and saves all of it or nothing, so a wrong file never leaves half a catalogue behind.</source>
        <translation>每次导入都先逐行预览，要么全部保存，要么一条不存，选错文件也不会留下半个商品库。</translation>
    </message>
    <message>
        <source>Later: Products → Import… and Customers in the main window.</source>
        <translation>以后也可以在主窗口的“商品 → 导入…”和“客户”里导入。</translation>
    </message>
    <message>
        <source>Your data</source>
        <translation>你的数据</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Where your shop lives</source>
        <translation>小店的数据在哪里</translation>
    </message>
    <message>
        <source>Everything stays on this computer, in one folder you control.</source>
        <translation>所有数据都保存在这台电脑上，放在一个由你掌控的文件夹里。</translation>
    </message>
    <message>
        <source>Your products, friends, posts and pictures are kept in the data folder. Before every update the app copies the database into the backups folder.</source>
        <translation>商品、好友、朋友圈和图片都保存在数据文件夹里。每次升级前，软件都会先把数据库复制到备份文件夹。</translation>
    </message>
    <message>
        <source>Copy the whole data folder to a USB disk or cloud drive now and then: if WeChat ever restricts an account, your customers are still here.</source>
        <translation>不时把整个数据文件夹复制到 U 盘或网盘：万一微信号被限制，你的客户资料还在。</translation>
    </message>
    <message>
        <source>Your week from here</source>
        <translation>接下来的每一周</translation>
    </message>
    <message>
        <source>1. Plan the week  2. Review the drafts  3. Post from the publish helper  4. Record likes  5. Allocate  6. Ship</source>
        <translation>1. 规划本周  2. 审核草稿  3. 用发布助手发圈  4. 记录点赞  5. 分配货品  6. 发货</translation>
    </message>
    <message>
        <source>Show the quick guide (F1)</source>
        <translation>查看快速指南 (F1)</translation>
    </message>
    <message>
        <source>A demo shop to explore</source>
        <translation>示例小店</translation>
    </message>
    <message>
        <source>Press Finish to fill this shop with the demo.</source>
        <translation>点“完成”，把示例数据放进这个小店。</translation>
    </message>
    <message>
        <source>The demo is a small clothing shop, 小棉袄的衣橱: two WeChat accounts, 60 products, 400 friend-customers and a month of posts, likes, comments and orders. Click around freely; nothing is sent anywhere.</source>
        <translation>示例是一家小服装店“小棉袄的衣橱”：两个微信号、60 件商品、400 位好友客户，以及一个月的朋友圈、点赞、评论和订单。随便点，什么都不会发出去。</translation>
    </message>
    <message>
        <source>To start your real shop afterwards: quit the app, rename or delete the data folder above, and start again. This wizard then greets you again.</source>
        <translation>之后要开自己的真店铺：退出软件，把上面的数据文件夹改名或删除，再重新打开，这个向导会再次出现。</translation>
    </message>
    <message>
        <source>Set up Moments Desk</source>
        <extracomment>Emitted once the setup transaction committed (the shop now has its accounts). Set on Finish from the demo page: the caller then fills the shop with the demo.</extracomment>
        <translation>设置朋友圈卖货台</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Nothing was saved: {error}</source>
        <translation>没有保存任何内容：{error}</translation>
    </message>
    <message>
        <source>Please check</source>
        <translation>请检查</translation>
    </message>
</context>
<context>
    <name>WordingOverride</name>
    <message>
        <source>Schedule forbidden wording?</source>
        <translation>仍要排期含违规用语的朋友圈？</translation>
    </message>
    <message>
        <source>WeChat restricts posts with {phrases}: friends may not see it and the account may be limited.
To schedule it anyway, say why (kept in the audit log):</source>
        <translation>微信会限制含有 {phrases} 的朋友圈：好友可能看不到，账号也可能被限制。
如仍要排期，请写明理由（会记入操作记录）：</translation>
    </message>
</context>
</TS>
